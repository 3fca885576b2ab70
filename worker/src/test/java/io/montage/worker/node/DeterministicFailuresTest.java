package io.montage.worker.node;

import io.montage.jobs.contracts.EchoJob;
import io.montage.jobs.Job;
import io.montage.jobs.JobItem;
import io.montage.jobs.JobIntake;
import io.montage.jobs.JobStatus;
import io.montage.jobs.NewItem;
import io.montage.jobs.NewJob;
import io.montage.jobs.Priority;
import io.montage.tenants.Tenant;
import io.montage.testing.NoInternals;
import io.montage.testing.SharedContext;
import io.montage.worker.testing.Await;
import io.montage.worker.testing.TaskRows;
import io.montage.worker.testing.TaskRows.TaskRow;
import io.montage.worker.testing.TestJobs;
import io.montage.worker.testing.ThrowingTaskHandler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A failure no retry can fix fails at once with a precise code; only a passing one is retried; and what tenants
 * read says what happened without a class name or a line of SQL (those stay in the worker log, under the task id).
 * Poison inputs go straight into the queue, past any check the api makes.
 */
class DeterministicFailuresTest {

    private static Tenant tenant;

    @BeforeAll
    static void setUp() {
        tenant = SharedContext.newTenant();
    }

    @Test
    void anOutcomeTheDatabaseRefusesFailsItsItemAloneAtTheFirstAttempt() {
        // echo fails item 50 with the input's own text as message, and a NUL cannot be stored in a text column
        List<NewItem> items = IntStream.range(0, 100).mapToObj(i -> new NewItem("item-" + i,
                i == 50 ? "{\"fail\":\"bad\\u0000input\"}" : "{\"n\":" + i + "}")).toList();
        Job job = TestJobs.submit(tenant, new NewJob(EchoJob.NAME, Priority.BULK, "{}", items));

        Job done = TestJobs.awaitEnd(tenant, job, Duration.ofSeconds(30));

        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals(99, done.succeededItems());
        assertEquals(1, done.failedItems());
        assertTrue(TaskRows.tasksOf(job.id()).stream().allMatch(t -> t.attempts() == 1), "never retried: "
                + TaskRows.tasksOf(job.id()));
        JobItem poison = TestJobs.outcomes(tenant, done).get(50);
        assertEquals("nul_character", poison.errorCode());
        NoInternals.assertNone(poison.errorMessage());
    }

    @Test
    void anUnclassifiedErrorFailsTheTaskAtOnceAndTellsTenantsOnlyWhereToLook() {
        Job done = run("bug");
        TaskRow task = TaskRows.onlyTaskOf(done.id());
        assertEquals("dead", task.status());
        assertEquals(1, task.attempts(), "a bug fails the same way every time: not retried");
        for (JobItem item : TestJobs.outcomes(tenant, done)) {
            assertEquals("internal_error", item.errorCode());
            assertTrue(item.errorMessage().contains("task " + task.id()), item.errorMessage());
            NoInternals.assertNone(item.errorMessage());
        }
        NoInternals.assertNone(task.lastError());
    }

    @Test
    void aDataExceptionFailsTheTaskAtOnceWithAPreciseCode() {
        Job done = run("sql-data");
        assertEquals(1, TaskRows.onlyTaskOf(done.id()).attempts());
        for (JobItem item : TestJobs.outcomes(tenant, done)) {
            assertEquals("invalid_data", item.errorCode());
            NoInternals.assertNone(item.errorMessage());
        }
    }

    @Test
    void aLostConnectionIsRetriedWithBackoff() {
        Job job = TestJobs.submit(tenant, new NewJob(ThrowingTaskHandler.TYPE, Priority.BULK,
                "{\"throw\":\"sql-connection\"}", List.of(new NewItem("a", "{}"))));
        TaskRow task = Await.until(Duration.ofSeconds(30), "the task runs again after failing",
                () -> TaskRows.onlyTaskOf(job.id()), t -> t.attempts() >= 2);
        assertTrue(task.lastError().contains("temporary failure"), task.lastError());
        NoInternals.assertNone(task.lastError());
        SharedContext.bean(JobIntake.class).cancel(tenant.id(), job.id());
    }

    private static Job run(String what) {
        Job job = TestJobs.submit(tenant, new NewJob(ThrowingTaskHandler.TYPE, Priority.BULK,
                "{\"throw\":\"" + what + "\"}", List.of(new NewItem("a", "{}"), new NewItem("b", "{}"))));
        Job done = TestJobs.awaitEnd(tenant, job, Duration.ofSeconds(30));
        assertEquals(JobStatus.FAILED, done.status());
        assertEquals(2, done.failedItems());
        return done;
    }
}
