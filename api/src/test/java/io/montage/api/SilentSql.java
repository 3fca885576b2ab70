package io.montage.api;

import io.montage.testing.TestDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A change made with a table's notifying trigger off, as no real change can be: what a node's cache answers then
 * shows whether the cache or the database answered. All or nothing, in one transaction of the owner (the trigger
 * is off only inside it), as the cross-tenant system role (row-level security is forced on the owner too).
 */
public final class SilentSql {

    private SilentSql() {
    }

    /** Runs {@code sql} with {@code params} on {@code table} with {@code trigger} off; returns the rows it changed. */
    public static int update(String table, String trigger, String sql, Object... params) throws SQLException {
        try (Connection owner = TestDatabase.ownerConnection()) {
            owner.setAutoCommit(false);
            try (Statement ddl = owner.createStatement(); PreparedStatement update = owner.prepareStatement(sql)) {
                ddl.execute("ALTER TABLE " + table + " DISABLE TRIGGER " + trigger);
                ddl.execute("SET LOCAL ROLE montage_system");
                for (int i = 0; i < params.length; i++) {
                    update.setObject(i + 1, params[i]);
                }
                int changed = update.executeUpdate();
                ddl.execute("RESET ROLE");
                ddl.execute("ALTER TABLE " + table + " ENABLE TRIGGER " + trigger);
                owner.commit();
                return changed;
            } catch (SQLException | RuntimeException e) {
                owner.rollback();
                throw e;
            }
        }
    }

    /** Sends {@code NOTIFY channel}, as a trigger would. */
    public static void notify(String channel) throws SQLException {
        notify(channel, "");
    }

    /** Sends a notification with {@code payload} on {@code channel}. */
    public static void notify(String channel, String payload) throws SQLException {
        try (Connection owner = TestDatabase.ownerConnection();
             PreparedStatement notify = owner.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, channel);
            notify.setString(2, payload);
            notify.execute();
        }
    }
}
