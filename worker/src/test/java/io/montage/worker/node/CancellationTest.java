package io.montage.worker.node;

import io.montage.jobs.Job;
import io.montage.jobs.JobItem;
import io.montage.jobs.JobIntake;
import io.montage.jobs.JobStatus;
import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;
import io.montage.worker.testing.Await;
import io.montage.worker.testing.SleepingTaskHandler;
import io.montage.worker.testing.TaskRows;
import io.montage.worker.testing.TaskRows.TaskRow;
import io.montage.worker.testing.TestHandlers;
import io.montage.worker.testing.TestJobs;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CancellationTest {

    /** Heartbeats come every 200 ms in tests (application-test.yml): a few of them. */
    private static final Duration A_FEW_HEARTBEATS = Duration.ofSeconds(2);

    @Test
    void cancellingAJobStopsItsRunningTaskAtTheNextHeartbeat() {
        Tenant tenant = SharedContext.newTenant();
        SleepingTaskHandler handler =
                TestHandlers.find(SharedContext.get(), TestHandlers.SLOW, SleepingTaskHandler.class);
        int interruptionsBefore = handler.interruptions();
        Job job = TestJobs.submit(tenant, TestHandlers.SLOW, "{}", 3); // sleeps until interrupted
        Await.until(Duration.ofSeconds(5), "the task runs", () -> TaskRows.onlyTaskOf(job.id()),
                task -> task.status().equals("running"));

        SharedContext.bean(JobIntake.class).cancel(tenant.id(), job.id());

        TaskRow abandoned = Await.until(A_FEW_HEARTBEATS, "the worker abandons the task",
                () -> TaskRows.onlyTaskOf(job.id()), task -> !task.status().equals("running"));
        assertEquals("cancelled", abandoned.status());
        assertEquals(1, abandoned.attempts());
        Job after = TestJobs.current(tenant, job);
        assertEquals(JobStatus.CANCELLED, after.status());
        assertEquals(3, after.cancelledItems());
        assertEquals(0, after.pendingItems());
        assertTrue(TestJobs.outcomes(tenant, job).stream().map(JobItem::status).allMatch("cancelled"::equals));
        Await.until(A_FEW_HEARTBEATS, "the handler is interrupted", handler::interruptions,
                n -> n == interruptionsBefore + 1);
    }
}
