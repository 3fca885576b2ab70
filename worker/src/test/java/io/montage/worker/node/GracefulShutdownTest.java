package io.montage.worker.node;

import io.micronaut.context.ApplicationContext;
import io.montage.jobs.Job;
import io.montage.jobs.JobStatus;
import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;
import io.montage.testing.TestDatabase;
import io.montage.workers.WorkerNode;
import io.montage.workers.WorkerRegistry;
import io.montage.worker.testing.Await;
import io.montage.worker.testing.SleepingTaskHandler;
import io.montage.worker.testing.TaskRows;
import io.montage.worker.testing.TaskRows.TaskRow;
import io.montage.worker.testing.TestHandlers;
import io.montage.worker.testing.TestJobs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closing a worker's context drains it. Each test starts a worker of its own that alone serves a task type made
 * up for the test, so the test context's worker never takes the task, and closing it leaves the shared one alone.
 */
class GracefulShutdownTest {

    private static Tenant tenant;

    @BeforeAll
    static void setUp() {
        tenant = SharedContext.newTenant();
    }

    @Test
    void aTaskStillRunningAfterTheDrainTimeoutIsHandedBackWithoutCountingTheAttempt() {
        String type = uniqueType();
        Duration drainTimeout = Duration.ofMillis(300);
        ApplicationContext worker = startWorker(type, drainTimeout);
        UUID workerId = worker.getBean(WorkerIdentity.class).id();
        SleepingTaskHandler handler = TestHandlers.find(worker, type, SleepingTaskHandler.class);
        Job job = TestJobs.submit(tenant, type, "{}", 3); // sleeps until interrupted
        Duration closing;
        try {
            TaskRow running = awaitRunning(job);
            assertEquals(workerId, running.leaseOwner());
            assertEquals(1, running.attempts());
        } finally {
            Instant start = Instant.now();
            worker.close();
            closing = Duration.between(start, Instant.now());
        }

        assertTrue(closing.compareTo(drainTimeout.plusSeconds(3)) < 0, "closing took " + closing);
        TaskRow released = TaskRows.onlyTaskOf(job.id());
        assertEquals("queued", released.status());
        assertEquals(0, released.attempts());
        assertNull(released.leaseOwner());
        Await.until(Duration.ofSeconds(1), "the handler is interrupted", handler::interruptions, n -> n == 1);
        assertEquals(3, TestJobs.current(tenant, job).pendingItems());
        assertStopped(workerId);
    }

    @Test
    void aTaskThatFinishesWithinTheDrainTimeoutIsCompletedBeforeTheWorkerStops() {
        String type = uniqueType();
        ApplicationContext worker = startWorker(type, Duration.ofSeconds(10));
        UUID workerId = worker.getBean(WorkerIdentity.class).id();
        Job job = TestJobs.submit(tenant, type, "{\"sleep_ms\": 700}", 3);
        Duration closing;
        try {
            awaitRunning(job);
        } finally {
            Instant start = Instant.now();
            worker.close();
            closing = Duration.between(start, Instant.now());
        }

        // no waiting here: close() returned only after the task was recorded
        Job done = TestJobs.current(tenant, job);
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals(3, done.succeededItems());
        assertEquals(1, TaskRows.onlyTaskOf(job.id()).attempts());
        assertTrue(closing.compareTo(Duration.ofSeconds(5)) < 0, "closing waited " + closing + " for a 700 ms task");
        assertStopped(workerId);
    }

    private static String uniqueType() {
        return "test-drain-" + UUID.randomUUID();
    }

    /** A second worker in this JVM, over the same database, serving only {@code type}. */
    private static ApplicationContext startWorker(String type, Duration drainTimeout) {
        Map<String, Object> properties = new HashMap<>(TestDatabase.properties());
        properties.put(TestHandlers.PRIVATE_TYPE_PROPERTY, type);
        properties.put("montage.worker.types", List.of(type));
        properties.put("montage.worker.drain-timeout", drainTimeout.toMillis() + "ms");
        return ApplicationContext.run(properties, "test");
    }

    private static TaskRow awaitRunning(Job job) {
        return Await.until(Duration.ofSeconds(5), "the task runs", () -> TaskRows.onlyTaskOf(job.id()),
                task -> task.status().equals("running"));
    }

    private static void assertStopped(UUID workerId) {
        WorkerNode node = SharedContext.bean(WorkerRegistry.class).list().stream()
                .filter(n -> n.id().equals(workerId)).findFirst().orElseThrow();
        assertEquals("stopped", node.status());
        assertNotNull(node.stoppedAt());
    }
}
