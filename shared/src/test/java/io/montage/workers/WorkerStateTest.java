package io.montage.workers;

import io.montage.db.Database;
import io.montage.jobs.ItemCounts;
import io.montage.jobs.JobIntake;
import io.montage.jobs.NewItem;
import io.montage.jobs.NewJob;
import io.montage.jobs.Priority;
import io.montage.jobs.TaskLeases;
import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;
import io.montage.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The workers table tells the truth against real PostgreSQL (issue 14): a worker that went silent is marked lost,
 * comes back when it heartbeats again, and ended rows are pruned; operators read the queue through
 * montage_queue_overview() although tasks is under forced row-level security.
 */
class WorkerStateTest {

    private static final Duration SILENCE = Duration.ofSeconds(30);

    private final Database database = SharedContext.bean(Database.class);
    private final WorkerRegistry workers = SharedContext.bean(WorkerRegistry.class);

    @Test
    void aSilentWorkerIsMarkedLostAndALiveOneIsNot() {
        UUID silent = worker();
        UUID draining = worker();
        UUID live = worker();
        UUID stopped = worker();
        workers.draining(draining);
        workers.stopped(stopped);
        heartbeatSecondsAgo(silent, 31);
        heartbeatSecondsAgo(draining, 120);
        heartbeatSecondsAgo(live, 25);
        heartbeatSecondsAgo(stopped, 3600);

        assertTrue(workers.markLost(SILENCE) >= 2);

        assertEquals("lost", node(silent).status());
        assertNotNull(node(silent).lostAt());
        assertEquals("lost", node(draining).status(), "a draining worker that stopped heartbeating died draining");
        assertEquals("running", node(live).status());
        assertNull(node(live).lostAt());
        assertEquals("stopped", node(stopped).status(), "a worker that said it stopped is not lost");
        assertEquals(0, workers.markLost(SILENCE), "once marked, nobody is marked again");
    }

    @Test
    void aLostWorkerThatHeartbeatsAgainIsRunningAgain() {
        UUID cutOff = worker();
        heartbeatSecondsAgo(cutOff, 60);
        workers.markLost(SILENCE);
        assertEquals("lost", node(cutOff).status());

        workers.heartbeat(cutOff, ItemCounts.NONE);

        assertEquals("running", node(cutOff).status());
        assertNull(node(cutOff).lostAt());
    }

    @Test
    void markingNobodySendsNoServingNotificationButMarkingSomebodyDoes() throws SQLException {
        try (Connection listener = TestDatabase.ownerConnection()) {
            try (Statement listen = listener.createStatement()) {
                listen.execute("LISTEN montage_serving");
            }
            workers.markLost(Duration.ofDays(3650)); // nobody has been silent for ten years
            assertEquals(0, notifications(listener, 300), "an UPDATE of no row still fires a statement trigger");

            heartbeatSecondsAgo(worker(), 90);
            assertTrue(workers.markLost(SILENCE) >= 1);
            assertTrue(notifications(listener, 5_000) >= 1, "the api's liveness caches must hear of a lost worker");
        }
    }

    @Test
    void rowsOfWorkersEndedLongAgoArePrunedAndTheOthersKept() {
        UUID stoppedLongAgo = worker();
        UUID lostLongAgo = worker();
        UUID stoppedRecently = worker();
        UUID runningForAges = worker();
        workers.stopped(stoppedLongAgo);
        workers.stopped(stoppedRecently);
        heartbeatSecondsAgo(lostLongAgo, 60);
        workers.markLost(SILENCE);
        heartbeatSecondsAgo(runningForAges, 1); // alive, started long ago
        sql("UPDATE workers SET stopped_at = now() - interval '8 days' WHERE id = ?", stoppedLongAgo);
        sql("UPDATE workers SET lost_at = now() - interval '8 days' WHERE id = ?", lostLongAgo);
        sql("UPDATE workers SET started_at = now() - interval '30 days' WHERE id = ?", runningForAges);

        assertTrue(workers.deleteEndedBefore(Duration.ofDays(7)) >= 2);

        assertEquals(0, sql("SELECT 1 FROM workers WHERE id = ?", stoppedLongAgo));
        assertEquals(0, sql("SELECT 1 FROM workers WHERE id = ?", lostLongAgo));
        assertEquals(1, sql("SELECT 1 FROM workers WHERE id = ?", stoppedRecently));
        assertEquals(1, sql("SELECT 1 FROM workers WHERE id = ?", runningForAges));
    }

    @Test
    void theOwnerRoleSeesNoTaskButTheQueueOverviewCountsThem() throws SQLException {
        Tenant tenant = SharedContext.newTenant();
        String type = "overview-" + UUID.randomUUID();
        JobIntake intake = SharedContext.bean(JobIntake.class);
        for (int job = 0; job < 3; job++) {
            intake.submit(tenant.id(), new NewJob(type, Priority.BULK, "{}", List.of(new NewItem("a", "{}"))));
        }
        SharedContext.bean(TaskLeases.class).claim(UUID.randomUUID(), List.of(type), 1);

        try (Connection owner = TestDatabase.ownerConnection()) {
            assertEquals(0, count(owner, "SELECT count(*) FROM tasks WHERE tenant_id = ?", tenant.id()),
                    "forced row-level security hides tasks even from the owner");
            assertEquals(2, count(owner, "SELECT sum(tasks) FROM montage_queue_overview() "
                    + "WHERE tenant_id = ? AND status = 'queued' AND priority = " + Priority.BULK, tenant.id()));
            assertEquals(1, count(owner, "SELECT sum(tasks) FROM montage_queue_overview() "
                    + "WHERE tenant_id = ? AND status = 'running'", tenant.id()));
        }
    }

    private UUID worker() {
        UUID id = UUID.randomUUID();
        workers.register(id, "worker-state-test", 1, "cpu()", List.of("echo"));
        return id;
    }

    private void heartbeatSecondsAgo(UUID id, int seconds) {
        sql("UPDATE workers SET heartbeat_at = now() - make_interval(secs => " + seconds + ") WHERE id = ?", id);
    }

    /** The worker's row (the newest 200 rows are listed: these tests' workers are among them). */
    private WorkerNode node(UUID id) {
        return workers.list().stream().filter(w -> w.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no row for worker " + id));
    }

    /** Runs {@code statement} with {@code id}: the rows it changed, or for a query the rows it returned. */
    private int sql(String statement, UUID id) {
        return database.asSystem(c -> {
            try (PreparedStatement prepared = c.prepareStatement(statement)) {
                prepared.setObject(1, id);
                if (!prepared.execute()) {
                    return prepared.getUpdateCount();
                }
                int rows = 0;
                try (ResultSet rs = prepared.getResultSet()) {
                    while (rs.next()) {
                        rows++;
                    }
                }
                return rows;
            }
        });
    }

    private static long count(Connection c, String sql, UUID tenantId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(sql)) {
            select.setObject(1, tenantId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static int notifications(Connection listener, int waitMillis) throws SQLException {
        PGNotification[] received = listener.unwrap(PGConnection.class).getNotifications(waitMillis);
        return received == null ? 0 : received.length;
    }
}
