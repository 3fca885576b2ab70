package io.montage.jobs;

import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A synchronous request's wait, against real PostgreSQL and its real notifications: the caller is woken by the
 * completion's NOTIFY and reads the job with its results in one query, and a job that finished before its caller
 * began to wait is read at once, not a re-check later. The worker is played by the test, through the queue's own
 * claim and completion.
 */
class InteractiveJobsTest {

    private static Tenant tenant;
    private static TaskLeases leases;

    @BeforeAll
    static void setUp() {
        tenant = SharedContext.newTenant();
        leases = SharedContext.bean(TaskLeases.class);
    }

    private static NewJob request(String type, int items) {
        return new NewJob(type, Priority.INTERACTIVE, "{}", IntStream.range(0, items)
                .mapToObj(i -> new NewItem("c" + i, "{\"n\":" + i + "}")).toList());
    }

    /** Claims the one task of {@code type} (waiting for it to be queued) and completes it, echoing each input. */
    private static void workOnce(String type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<ClaimedTask> claimed;
        while ((claimed = leases.claim(UUID.randomUUID(), List.of(type), 1)).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the request was never queued");
            Thread.sleep(5);
        }
        ClaimedTask task = claimed.getFirst();
        leases.complete(task, leases.items(task).stream()
                .map(i -> ItemOutcome.succeeded(i.seq(), "{\"echo\":" + i.inputJson() + "}")).toList());
    }

    @Test
    void aFinishedRequestAnswersWithItsItemsResultsInOrder() throws Exception {
        String type = "test-" + UUID.randomUUID();
        InteractiveJobs interactive = SharedContext.bean(InteractiveJobs.class);
        CompletableFuture<InteractiveJobs.Outcome> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                return interactive.run(tenant.id(), request(type, 3), Duration.ofSeconds(60));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        workOnce(type);

        var finished = assertInstanceOf(InteractiveJobs.Finished.class, outcome.get(60, TimeUnit.SECONDS));
        assertEquals(JobStatus.SUCCEEDED, finished.job().status());
        assertEquals(List.of(0, 1, 2), finished.items().stream().map(JobItem::seq).toList());
        assertEquals(List.of("c0", "c1", "c2"), finished.items().stream().map(JobItem::customId).toList());
        assertEquals("{\"echo\":{\"n\":2}}", finished.items().get(2).resultJson());
    }

    @Test
    void aJobWhoseNotificationCameBeforeItsCallerWaitedIsReadAtOnce() throws Exception {
        String type = "test-" + UUID.randomUUID();
        Job job = SharedContext.bean(JobIntake.class).submit(tenant.id(), request(type, 1));
        CountDownLatch notified = new CountDownLatch(1);
        try (AutoCloseable listening = SharedContext.bean(io.montage.notify.Notifications.class)
                .subscribe(QueueChannels.JOBS, id -> {
                    if (job.id().toString().equals(id)) {
                        notified.countDown();
                    }
                })) {
            workOnce(type);
            assertTrue(notified.await(30, TimeUnit.SECONDS), "the completion's notification came");
        }
        Jobs jobs = SharedContext.bean(Jobs.class);
        AtomicInteger reads = new AtomicInteger();
        long start = System.nanoTime();
        JobResults done = SharedContext.bean(JobWaiter.class).await(job.id(), Duration.ofSeconds(60), false, () -> {
            reads.incrementAndGet();
            return jobs.results(tenant.id(), job.id(), 1);
        }, r -> r.job().status().terminal());
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertEquals(JobStatus.SUCCEEDED, done.job().status());
        assertEquals(1, done.items().size());
        assertEquals(1, reads.get(), "one read");
        // waiting for a notification that had already come would last the 1 s re-check
        assertTrue(tookMillis < 800, "read at once, not after the re-check: " + tookMillis + " ms");
    }
}
