package io.montage.worker.node;

import io.micronaut.context.ApplicationContext;
import io.montage.jobs.Job;
import io.montage.jobs.JobIntake;
import io.montage.jobs.JobStatus;
import io.montage.jobs.NewItem;
import io.montage.jobs.NewJob;
import io.montage.jobs.Priority;
import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;
import io.montage.testing.TestDatabase;
import io.montage.worker.testing.Await;
import io.montage.worker.testing.TaskRows;
import io.montage.worker.testing.TestHandlers;
import io.montage.worker.testing.TestJobs;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Slots reserved for interactive work: however many bulk tasks queue, a synchronous request's task never waits for
 * one of them to finish. A worker of the test's own (2 general slots + 1 interactive) serves a made-up type whose
 * tasks sleep until interrupted unless the job says otherwise.
 */
class InteractiveSlotsTest {

    @Test
    void aSyncTaskRunsWhileBulkTasksHoldEveryGeneralSlot() {
        String type = "test-slots-" + UUID.randomUUID();
        Tenant bulkTenant = SharedContext.newTenant();
        Tenant syncTenant = SharedContext.newTenant();
        ApplicationContext worker = startWorker(type);
        Job bulk = TestJobs.submit(bulkTenant, type, "{}", 4 * 25); // 4 tasks (25 items each in tests), endless
        try {
            Await.until(Duration.ofSeconds(10), "bulk tasks take both general slots",
                    () -> TaskRows.countByStatus(bulk.id()), counts -> counts.getOrDefault("running", 0L) == 2);

            Job sync = TestJobs.submit(syncTenant, new NewJob(type, Priority.INTERACTIVE, "{\"sleep_ms\": 0}",
                    List.of(new NewItem(null, "{}"))));

            assertEquals(JobStatus.SUCCEEDED, TestJobs.awaitEnd(syncTenant, sync, Duration.ofSeconds(10)).status(),
                    "claimed into the reserved slot while no bulk task ended");
            assertEquals(Map.of("queued", 2L, "running", 2L), TaskRows.countByStatus(bulk.id()),
                    "and the bulk tasks never took the reserved slot themselves");
        } finally {
            worker.close();
            SharedContext.bean(JobIntake.class).cancel(bulkTenant.id(), bulk.id());
        }
    }

    private static ApplicationContext startWorker(String type) {
        Map<String, Object> properties = new HashMap<>(TestDatabase.properties());
        properties.put(TestHandlers.PRIVATE_TYPE_PROPERTY, type);
        properties.put("montage.worker.types", List.of(type));
        properties.put("montage.worker.concurrency", 2);
        properties.put("montage.worker.interactive-concurrency", 1);
        return ApplicationContext.run(properties, "test");
    }
}
