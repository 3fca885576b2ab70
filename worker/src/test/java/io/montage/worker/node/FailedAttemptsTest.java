package io.montage.worker.node;

import io.montage.jobs.Job;
import io.montage.jobs.JobItem;
import io.montage.jobs.JobStatus;
import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;
import io.montage.worker.testing.FailsFirstAttemptTaskHandler;
import io.montage.worker.testing.RejectingTaskHandler;
import io.montage.worker.testing.TaskRows;
import io.montage.worker.testing.TaskRows.TaskRow;
import io.montage.worker.testing.TestJobs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the worker records when a handler throws. */
class FailedAttemptsTest {

    private static Tenant tenant;

    @BeforeAll
    static void setUp() {
        tenant = SharedContext.newTenant();
    }

    @Test
    void aFailedAttemptIsRetriedAfterBackoffAndTheRetryCanSucceed() {
        Job job = TestJobs.submit(tenant, FailsFirstAttemptTaskHandler.TYPE, "{}", 5);

        Job done = TestJobs.awaitEnd(tenant, job, Duration.ofSeconds(10));

        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals(5, done.succeededItems());
        TaskRow task = TaskRows.onlyTaskOf(job.id());
        assertEquals("succeeded", task.status());
        assertEquals(2, task.attempts());
        assertEquals("a temporary failure (database or model not available) interrupted task " + task.id(),
                task.lastError(), "what tenants may read; the exception's own message stays in the worker log");
        assertTrue(TestJobs.outcomes(tenant, done).stream()
                .allMatch(item -> item.resultJson().equals("{\"attempt\":2}")), "results come from attempt 2");
    }

    @Test
    void aNonRetryableFailureFailsTheTaskAtItsFirstAttempt() {
        Job job = TestJobs.submit(tenant, RejectingTaskHandler.TYPE, "{}", 2);

        Job done = TestJobs.awaitEnd(tenant, job, Duration.ofSeconds(10));

        assertEquals(JobStatus.FAILED, done.status());
        assertEquals(2, done.failedItems());
        TaskRow task = TaskRows.onlyTaskOf(job.id());
        assertEquals("dead", task.status());
        assertEquals(1, task.attempts());
        List<JobItem> items = TestJobs.outcomes(tenant, done);
        assertTrue(items.stream().allMatch(item -> RejectingTaskHandler.CODE.equals(item.errorCode())
                && item.errorMessage().equals(RejectingTaskHandler.REASON)), items.toString());
    }
}
