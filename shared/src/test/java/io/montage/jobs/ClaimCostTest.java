package io.montage.jobs;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.montage.db.DatabaseConfig;
import io.montage.db.SqlParams;
import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;
import io.montage.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fair claim's cost follows the number of queues (tenant × priority × model × type), not their length: the
 * claim statement's buffers, read from EXPLAIN (ANALYZE, BUFFERS), barely move when one tenant's queue grows from
 * 1,000 to 100,000 tasks, whether or not the worker serves that queue; nor when a session that planned its claim on a
 * short queue (the generic plan is made once per session, V35) later claims from 10,000 queued jobs. Buffer counts,
 * not timings: deterministic.
 */
class ClaimCostTest {

    private static final String TYPE = "cost-" + UUID.randomUUID();
    private static final String OTHER_TYPE = "cost-other-" + UUID.randomUUID();

    private static Tenant big;
    private static final UUID JOB = UUID.randomUUID();

    @BeforeAll
    static void aTenantWithAThousandTasksAndThreeSmallOnes() throws SQLException {
        big = SharedContext.newTenant();
        try (Connection c = systemConnection()) {
            insertJob(c, JOB, big.id());
            insertTasks(c, JOB, big.id(), TYPE, 1_000);
            for (int i = 0; i < 3; i++) {
                Tenant small = SharedContext.newTenant();
                UUID job = UUID.randomUUID();
                insertJob(c, job, small.id());
                insertTasks(c, job, small.id(), TYPE, 2);
            }
            c.commit();
        }
    }

    @AfterAll
    static void deleteTheJobs() throws SQLException {
        try (Connection c = systemConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM jobs WHERE type = '" + TYPE + "'");
            c.commit();
        }
    }

    @Test
    void aHundredTimesTheQueueCostsAboutTheSame() throws Exception {
        Plan small = explainClaim(List.of(TYPE));
        Plan smallElsewhere = explainClaim(List.of(OTHER_TYPE)); // a worker that serves none of these tasks
        try (Connection c = systemConnection()) {
            insertTasks(c, JOB, big.id(), TYPE, 99_000);
            c.commit();
        }
        try (Connection c = systemConnection(); Statement s = c.createStatement()) {
            s.execute("ANALYZE tasks");
            c.commit();
        }
        Plan large = explainClaim(List.of(TYPE));
        Plan largeElsewhere = explainClaim(List.of(OTHER_TYPE));
        System.out.printf("fair claim of 4 (its generic plan, as montage_claim_tasks runs it), 1,000 → 100,000 queued "
                + "tasks of one tenant: %s → %s; worker serving none of them: %s → %s%n", small, large,
                smallElsewhere, largeElsewhere);

        assertEquals(4, small.rows());
        assertEquals(4, large.rows());
        assertEquals(0, largeElsewhere.rows());
        // one more btree level adds a page per index descent; reading the queue would add thousands
        assertTrue(large.buffers() < 2 * small.buffers(), small + " → " + large);
        assertTrue(largeElsewhere.buffers() < 2 * smallElsewhere.buffers(), smallElsewhere + " → " + largeElsewhere);
    }

    @Test
    void aSessionPlannedOnAShortQueueStaysCheapWhenTheQueueGrows() throws Exception {
        String type = "cost-jobs-" + UUID.randomUUID();
        Tenant tenant = SharedContext.newTenant();
        insertSingleTaskJobs(tenant, type, 10);
        try (Connection session = systemConnection()) {
            Plan planned = explainClaim(session, List.of(type)); // the session's generic plan is made here
            insertSingleTaskJobs(tenant, type, 10_000);
            Plan grown = explainClaim(session, List.of(type));
            System.out.printf("fair claim of 4 in one session, planned on 10 queued single-task jobs, then "
                    + "claiming from 10,010: %s → %s%n", planned, grown);

            assertEquals(4, planned.rows());
            assertEquals(4, grown.rows());
            // V27 found the claimed tasks' jobs through every in-flight job's index entry: hundreds of pages here
            assertTrue(grown.buffers() < 2 * planned.buffers(), planned + " → " + grown);
        } finally {
            try (Connection c = systemConnection(); Statement s = c.createStatement()) {
                s.execute("DELETE FROM jobs WHERE type = '" + type + "'");
                c.commit();
            }
        }
    }

    private static void insertSingleTaskJobs(Tenant tenant, String type, int count) throws SQLException {
        try (Connection c = systemConnection(); PreparedStatement insert = c.prepareStatement(
                "WITH job AS (INSERT INTO jobs (tenant_id, type, priority, total_items, total_tasks, expires_at) "
                        + "SELECT ?, ?, ?, 0, 1, now() + interval '1 day' FROM generate_series(1, ?) RETURNING id) "
                        + "INSERT INTO tasks (job_id, tenant_id, type, priority, max_attempts) "
                        + "SELECT id, ?, ?, ?, 3 FROM job")) {
            SqlParams.of(c, insert).add(tenant.id()).add(type).add(Priority.BULK).add(count)
                    .add(tenant.id()).add(type).add(Priority.BULK);
            insert.executeUpdate();
            c.commit();
        }
    }

    /** The statement's rows and buffers (shared hit + read, execution only), run and rolled back. */
    private record Plan(long rows, long buffers, double millis) {
        @Override
        public String toString() {
            return String.format("%d buffers, %.2f ms", buffers, millis);
        }
    }

    /**
     * The claim of 4 for {@code types} (its function's statement with its generic plan: the limits are parameters),
     * run twice and rolled back; the second run's buffers, once the function is compiled and its plan cached for the
     * session (the first also reads the catalog). The function scan's buffers are those of the statements inside.
     */
    private static Plan explainClaim(List<String> types) throws Exception {
        try (Connection c = systemConnection()) {
            return explainClaim(c, types);
        }
    }

    /**
     * As {@link #explainClaim(List)}, in the session of {@code c}: its transaction (in the system role again, a
     * rollback ends the SET LOCAL) is rolled back, the session and its cached plans stay.
     */
    private static Plan explainClaim(Connection c, List<String> types) throws Exception {
        try (Statement role = c.createStatement();
             PreparedStatement first = c.prepareStatement(TaskClaims.CALL);
             PreparedStatement statement = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) "
                     + TaskClaims.CALL)) {
            role.execute("SET LOCAL ROLE " + SharedContext.bean(DatabaseConfig.class).systemRole());
            bindClaimOf4(c, first, types);
            first.executeQuery().close();
            bindClaimOf4(c, statement, types);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                JsonNode root = SharedContext.bean(JsonMapper.class).readValue(rs.getString(1), JsonNode.class);
                JsonNode plan = root.get(0).get("Plan");
                return new Plan(plan.get("Actual Rows").getLongValue(),
                        plan.get("Shared Hit Blocks").getLongValue() + plan.get("Shared Read Blocks").getLongValue(),
                        root.get(0).get("Execution Time").getDoubleValue());
            }
        } finally {
            c.rollback();
        }
    }

    private static void bindClaimOf4(Connection c, PreparedStatement statement, List<String> types)
            throws SQLException {
        TaskClaims.bind(SqlParams.of(c, statement), types, List.of(), Priority.ANY, new UUID[0], UUID.randomUUID(),
                60.0, 4, true);
    }

    /** Underneath the application: the owner connection in the system role, one transaction. */
    private static Connection systemConnection() throws SQLException {
        Connection c = TestDatabase.ownerConnection();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL ROLE " + SharedContext.bean(DatabaseConfig.class).systemRole());
        }
        return c;
    }

    private static void insertJob(Connection c, UUID id, UUID tenantId) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO jobs (id, tenant_id, type, priority, "
                + "total_items, total_tasks, expires_at) VALUES (?, ?, ?, ?, 0, 0, now() + interval '1 day')")) {
            insert.setObject(1, id);
            insert.setObject(2, tenantId);
            insert.setString(3, TYPE);
            insert.setInt(4, Priority.BULK);
            insert.executeUpdate();
        }
    }

    private static void insertTasks(Connection c, UUID jobId, UUID tenantId, String type, int count)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO tasks (job_id, tenant_id, type, priority, "
                + "max_attempts) SELECT ?, ?, ?, ?, 3 FROM generate_series(1, ?)")) {
            insert.setObject(1, jobId);
            insert.setObject(2, tenantId);
            insert.setString(3, type);
            insert.setInt(4, Priority.BULK);
            insert.setInt(5, count);
            insert.executeUpdate();
        }
    }
}
