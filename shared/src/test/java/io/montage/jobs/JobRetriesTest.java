package io.montage.jobs;

import io.montage.errors.MontageException;
import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Retrying a finished job's failed items against real PostgreSQL: a task that died takes its job to failed; the
 * retry gives its items new tasks in the same job, and once they succeed the job has succeeded — the dead task no
 * longer counts.
 */
class JobRetriesTest {

    private final JobIntake intake = SharedContext.bean(JobIntake.class);
    private final TaskLeases leases = SharedContext.bean(TaskLeases.class);
    private final JobRetries retries = SharedContext.bean(JobRetries.class);
    private final Jobs jobs = SharedContext.bean(Jobs.class);

    @Test
    void aJobFailedByADeadTaskSucceedsOnceItsRetriedItemsDo() {
        Tenant tenant = SharedContext.newTenant();
        String type = "retry-" + UUID.randomUUID();
        List<NewItem> items = IntStream.range(0, 150).mapToObj(i -> new NewItem("c" + i, "{}")).toList();
        Job job = intake.submit(tenant.id(), new NewJob(type, Priority.BULK, "{}", items)); // tasks of 100 and 50
        for (ClaimedTask task : leases.claim(UUID.randomUUID(), List.of(type), 2)) {
            leases.fail(task, "internal_error", "the handler broke", false); // dead at once
        }
        assertEquals(JobStatus.FAILED, jobs.get(tenant.id(), job.id()).status());

        Job retried = retries.retryFailed(tenant.id(), job.id());

        assertEquals(JobStatus.QUEUED, retried.status());
        assertEquals(150, retried.pendingItems());
        assertEquals(0, retried.failedItems());
        assertEquals("job_not_finished", assertThrows(MontageException.class,
                () -> retries.retryFailed(tenant.id(), job.id())).code());
        List<ClaimedTask> again = leases.claim(UUID.randomUUID(), List.of(type), 5);
        assertEquals(2, again.size(), "150 items in new tasks of at most 100");
        for (ClaimedTask task : again) {
            leases.complete(task, leases.items(task).stream()
                    .map(i -> ItemOutcome.succeeded(i.seq(), "{}")).toList());
        }
        Job done = jobs.get(tenant.id(), job.id());
        assertEquals(JobStatus.SUCCEEDED, done.status(), "the dead tasks' items all succeeded on the retry");
        assertEquals(150, done.succeededItems());
        MontageException nothing = assertThrows(MontageException.class,
                () -> retries.retryFailed(tenant.id(), job.id()));
        assertEquals("nothing_to_retry", nothing.code());
    }

    @Test
    void anotherTenantsJobIsNotFound() {
        Tenant owner = SharedContext.newTenant();
        Job job = intake.submit(owner.id(), new NewJob("retry-" + UUID.randomUUID(), Priority.BULK, "{}",
                List.of(new NewItem("a", "{}"))));
        MontageException refused = assertThrows(MontageException.class,
                () -> retries.retryFailed(SharedContext.newTenant().id(), job.id()));
        assertEquals("job_not_found", refused.code());
    }
}
