package io.montage.db;

import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.UUID;

/**
 * The only way Montage code runs SQL: every unit of work is one transaction, either inside one tenant
 * (row-level security shows that tenant's rows only) or as the system role (cross-tenant infrastructure work).
 * There is deliberately no third way: a query cannot run without choosing.
 */
@Singleton
public class Database {

    /** Deadlock and serialization failure: the transaction did nothing and may simply run again. */
    private static final Set<String> RETRYABLE_STATES = Set.of("40P01", "40001");
    private static final int MAX_TRIES = 4;

    private final DataSource dataSource;
    private final String setSystemRole;

    public Database(DataSource dataSource, DatabaseConfig config) {
        this.dataSource = dataSource;
        this.setSystemRole = "SET LOCAL ROLE " + quoteIdentifier(config.systemRole());
    }

    /** Runs {@code work} in one transaction that sees and writes only {@code tenantId}'s rows. */
    public <T> T inTenant(UUID tenantId, SqlWork<T> work) {
        if (tenantId == null) {
            throw new IllegalArgumentException("tenantId is required");
        }
        return inTransaction(connection -> {
            try (PreparedStatement set = connection.prepareStatement(
                    "SELECT set_config('montage.tenant_id', ?, true)")) {
                set.setString(1, tenantId.toString());
                set.execute();
            }
            return work.run(connection);
        });
    }

    /** Runs {@code work} in one transaction as the system role, across all tenants. */
    public <T> T asSystem(SqlWork<T> work) {
        return inTransaction(connection -> {
            try (Statement set = connection.createStatement()) {
                set.execute(setSystemRole);
            }
            return work.run(connection);
        });
    }

    private <T> T inTransaction(SqlWork<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                try {
                    T result = work.run(connection);
                    connection.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    try {
                        connection.rollback();
                    } catch (SQLException rollbackFailure) {
                        // the pool closes a connection after some errors (e.g. 0A000): report the cause, not this
                        e.addSuppressed(rollbackFailure);
                    }
                    throw e;
                }
            } catch (SQLException e) {
                if (attempt < MAX_TRIES && e.getSQLState() != null && RETRYABLE_STATES.contains(e.getSQLState())) {
                    continue;
                }
                throw new DataAccessException("database: " + e.getMessage(), e);
            }
        }
    }

    static String quoteIdentifier(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
