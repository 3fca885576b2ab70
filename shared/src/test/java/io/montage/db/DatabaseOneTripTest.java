package io.montage.db;

import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A lead statement travels behind its transaction's settings in one round trip (pgjdbc sends the parts of a
 * multi-statement string before one Sync): in autocommit PostgreSQL runs them as ONE implicit transaction, so the
 * transaction-local settings apply to the lead, and they end with it.
 */
class DatabaseOneTripTest {

    private final Database database = SharedContext.bean(Database.class);

    private record Seen(String tenant, String role, String synchronousCommit) {
    }

    /** synchronous_commit as the local server runs (deploy/local): the default. */
    private static final String SERVER_DEFAULT = "on";
    private static final String SEEN_SQL = "SELECT current_setting('montage.tenant_id', true) AS tenant, "
            + "current_user AS role, current_setting('synchronous_commit') AS sc";
    private static final Lead<Seen> SEEN = new Lead<>(SEEN_SQL, params -> {
    }, DatabaseOneTripTest::seen);

    private static Seen seen(ResultSet rows) throws SQLException {
        rows.next();
        return new Seen(rows.getString("tenant"), rows.getString("role"), rows.getString("sc"));
    }

    private static Seen seen(Connection c) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(SEEN_SQL); ResultSet rows = select.executeQuery()) {
            return seen(rows);
        }
    }

    /** Also after pgjdbc's prepare threshold (5 runs of one statement on a connection: then it would Sync apart). */
    @Test
    void theSettingsApplyToTheLeadRunAfterRun() {
        Tenant tenant = SharedContext.newTenant();
        DatabaseConfig config = SharedContext.bean(DatabaseConfig.class);
        for (int run = 0; run < 10; run++) {
            Seen inTenant = database.inTenant(tenant.id(), Durability.RELAXED, SEEN);
            assertEquals(tenant.id().toString(), inTenant.tenant(), "run " + run);
            assertEquals(config.user(), inTenant.role());
            assertEquals("off", inTenant.synchronousCommit());
            Seen asSystem = database.asSystem(Durability.FULL, SEEN);
            assertEquals(config.systemRole(), asSystem.role(), "run " + run);
            assertEquals("", asSystem.tenant());
            assertEquals(SERVER_DEFAULT, asSystem.synchronousCommit());
        }
    }

    /**
     * A lead of fixed-width rows may be server-prepared (pgjdbc then no longer parses it): still one transaction. It
     * runs its generic plan, from the first run on: PostgreSQL would plan the enqueue afresh every time otherwise.
     */
    @Test
    void aPreparedLeadStillRunsBehindItsSettings() {
        Tenant tenant = SharedContext.newTenant();
        String systemRole = SharedContext.bean(DatabaseConfig.class).systemRole();
        Lead<Boolean[]> fixed = Lead.fixedWidth("SELECT montage_current_tenant() = ?::uuid AS tenant, "
                + "current_user = ?::text AS system, current_setting('synchronous_commit') = 'off' AS relaxed, "
                + "current_setting('plan_cache_mode') = 'force_generic_plan' AS generic",
                params -> params.add(tenant.id()).add(systemRole), rows -> {
                    rows.next();
                    return new Boolean[] {rows.getBoolean(1), rows.getBoolean(2), rows.getBoolean(3), rows.getBoolean(4)};
                });
        for (int run = 0; run < 10; run++) {
            assertArrayEquals(new Boolean[] {true, false, true, true}, database.inTenant(tenant.id(),
                    Durability.RELAXED, fixed), "run " + run);
            // NULL = x is NULL, which reads as false: no tenant
            assertArrayEquals(new Boolean[] {false, true, false, true}, database.asSystem(Durability.FULL, fixed),
                    "run " + run);
            // with a fixed-width trailer: prepared too, the pair planned generically
            assertArrayEquals(new Boolean[] {true, false, false, true}, database.inTenant(tenant.id(),
                    Durability.FULL, fixed, fixed), "run " + run);
        }
    }

    /** The settings end with the trip: the pool's next unit of work on the connection (this thread's) sees none. */
    @Test
    void nothingOutlivesTheTrip() {
        Tenant tenant = SharedContext.newTenant();
        DatabaseConfig config = SharedContext.bean(DatabaseConfig.class);
        Tenant other = SharedContext.newTenant();
        for (int run = 0; run < 10; run++) {
            database.inTenant(tenant.id(), Durability.RELAXED, SEEN);
            Seen system = database.asSystem(c -> seen(c));
            assertEquals("", system.tenant() == null ? "" : system.tenant(), "run " + run);
            assertEquals(SERVER_DEFAULT, system.synchronousCommit());
            database.asSystem(Durability.RELAXED, SEEN);
            Seen inOther = database.inTenant(other.id(), c -> seen(c));
            assertEquals(config.user(), inOther.role(), "run " + run);
            assertEquals(SERVER_DEFAULT, inOther.synchronousCommit());
            database.asSystem(Durability.FULL, Lead.fixedWidth("SELECT 1 AS one", params -> {
            }, rows -> null)); // a prepared lead alone: its generic plan
            assertEquals("auto", database.asSystem(c -> {
                try (PreparedStatement select = c.prepareStatement("SELECT current_setting('plan_cache_mode')");
                     ResultSet rows = select.executeQuery()) {
                    rows.next();
                    return rows.getString(1);
                }
            }), "run " + run);
        }
    }

    /** One transaction: a lead that fails after writing leaves nothing. */
    @Test
    void aFailedTripWritesNothing() {
        Tenant tenant = SharedContext.newTenant();
        Lead<Integer> writeThenFail = new Lead<>("WITH made AS (INSERT INTO jobs (tenant_id, type, priority, "
                + "total_items, total_tasks, expires_at) VALUES (?, 'one-trip-probe', 0, 1, 1, now() + interval '1 day') "
                + "RETURNING 1) SELECT (SELECT count(*) FROM made)::int / 0", params -> params.add(tenant.id()),
                rows -> 0);
        assertThrows(DataAccessException.class, () -> database.inTenant(tenant.id(), Durability.FULL, writeThenFail));
        assertEquals(0, (int) database.inTenant(tenant.id(), Durability.FULL, new Lead<>(
                "SELECT count(*)::int FROM jobs WHERE type = 'one-trip-probe'", params -> {
                }, rows -> {
                    rows.next();
                    return rows.getInt(1);
                })));
    }

    /**
     * A trailer runs in the lead's trip and transaction: behind the same settings, and its failure undoes the lead's
     * write (a quota's usage refusing the job it follows); a trailer that succeeds keeps both.
     */
    @Test
    void aTrailerSharesTheLeadsTransaction() {
        Tenant tenant = SharedContext.newTenant();
        String type = "trailer-probe-" + UUID.randomUUID();
        Lead<Integer> write = Lead.fixedWidth("WITH made AS (INSERT INTO jobs (tenant_id, type, priority, total_items, "
                + "total_tasks, expires_at) VALUES (?, ?, 0, 1, 1, now() + interval '1 day') RETURNING 1) "
                + "SELECT count(*)::int FROM made", params -> params.add(tenant.id()).add(type), rows -> {
                    rows.next();
                    return rows.getInt(1);
                });
        Lead<Integer> failing = Lead.fixedWidth("SELECT 1 / 0 AS never", params -> {
        }, rows -> 0);
        assertThrows(DataAccessException.class, () -> database.inTenant(tenant.id(), Durability.RELAXED, write,
                failing));
        assertEquals(0, jobsOfType(tenant, type), "the lead's write went with the trailer's failure");

        AtomicReference<Seen> trailerSaw = new AtomicReference<>();
        Lead<Seen> seenByTrailer = new Lead<>(SEEN_SQL, params -> {
        }, rows -> {
            trailerSaw.set(seen(rows));
            return trailerSaw.get();
        });
        assertEquals(1, (int) database.inTenant(tenant.id(), Durability.RELAXED, write, seenByTrailer));
        assertEquals(new Seen(tenant.id().toString(), SharedContext.bean(DatabaseConfig.class).user(), "off"),
                trailerSaw.get());
        assertEquals(1, jobsOfType(tenant, type));
    }

    private int jobsOfType(Tenant tenant, String type) {
        return database.inTenant(tenant.id(), Durability.FULL, new Lead<>(
                "SELECT count(*)::int FROM jobs WHERE type = ?", params -> params.add(type), rows -> {
                    rows.next();
                    return rows.getInt(1);
                }));
    }
}
