package io.montage.jobs;

import io.montage.db.DataAccessException;
import io.montage.db.Database;
import io.montage.errors.MontageException;
import io.montage.models.ModelRegistry;
import io.montage.tenants.Tenant;
import io.montage.testing.FakeBundle;
import io.montage.testing.SharedContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The queue's contract, against real PostgreSQL. Each test uses its own task type, so tests never claim each
 * other's tasks.
 */
class JobQueueContractTest {

    private static final int ITEMS_PER_TASK = 10;
    private static final int MAX_CRASHES = 2;

    /** The queue's two sides over one configuration: jobs come in through one and are worked through the other. */
    private record Queue(JobIntake intake, TaskLeases leases) {
    }

    private static Database database;
    private static Jobs jobs;
    private static Tenant tenant;

    @BeforeAll
    static void setUp() {
        database = SharedContext.bean(Database.class);
        jobs = SharedContext.bean(Jobs.class);
        tenant = SharedContext.newTenant();
    }

    private static Queue queue(Duration lease, int maxAttempts, Duration retryBase) {
        QueueConfig config = new QueueConfig(ITEMS_PER_TASK, maxAttempts, lease, retryBase, Duration.ofMinutes(5),
                Duration.ofDays(7), MAX_CRASHES);
        return new Queue(new JobIntake(database, config), new TaskLeases(database, config, new RetryPolicy(config)));
    }

    private static Queue queue() {
        return queue(Duration.ofSeconds(30), 3, Duration.ofSeconds(30));
    }

    private static String uniqueType() {
        return "test-" + UUID.randomUUID();
    }

    private static Job submit(Queue queue, String type, int items, int priority) {
        return submit(queue, tenant, type, items, priority);
    }

    private static Job submit(Queue queue, Tenant owner, String type, int items, int priority) {
        List<NewItem> list = IntStream.range(0, items)
                .mapToObj(i -> new NewItem("c" + i, "{\"n\":" + i + "}")).toList();
        return queue.intake().submit(owner.id(), new NewJob(type, priority, "{}", list));
    }

    private static List<ItemOutcome> echo(Queue queue, ClaimedTask task) {
        return queue.leases().items(task).stream()
                .map(i -> ItemOutcome.succeeded(i.seq(), "{\"echo\":" + i.inputJson() + "}")).toList();
    }

    @Test
    void concurrentClaimersNeverRunATaskTwiceWhileItsLeaseHolds() throws Exception {
        Queue queue = queue();
        String type = uniqueType();
        Job job = submit(queue, type, 400, Priority.BULK); // 40 tasks
        assertEquals(40, claimEverythingConcurrently(queue, type, 8, 2));
        Job done = jobs.get(tenant.id(), job.id());
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals(400, done.succeededItems());
        assertEquals(countItems(job.id()), Map.of("succeeded", 400));
    }

    @Test
    void aClaimerThatDiesLosesNothing() throws Exception {
        Queue queue = queue(Duration.ofMillis(300), 3, Duration.ofMillis(1));
        String type = uniqueType();
        Job job = submit(queue, type, 5, Priority.BULK);
        ClaimedTask dead = queue.leases().claim(UUID.randomUUID(), List.of(type), 1).getFirst();
        // the claimer dies: no heartbeat, no completion. While the lease holds, nobody else gets the task.
        assertEquals(List.of(), queue.leases().claim(UUID.randomUUID(), List.of(type), 1));
        Thread.sleep(400);
        assertEquals(1, reapAll(queue));
        ClaimedTask again = awaitClaim(queue, type);
        assertEquals(dead.id(), again.id());
        assertEquals(1, again.attempt(), "a crash is not the handler's failed attempt");
        assertNotEquals(dead.leaseToken(), again.leaseToken());
        // the zombie wakes up: its results are refused, nothing it computed is written
        assertThrows(LeaseLostException.class, () -> queue.leases().complete(dead, echo(queue, dead)));
        assertEquals(Heartbeat.LOST, queue.leases().heartbeat(dead));
        assertEquals(new ItemCounts(5, 0, 0), queue.leases().complete(again, echo(queue, again)));
        Job done = jobs.get(tenant.id(), job.id());
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals(5, done.succeededItems());
    }

    @Test
    void aTaskReapedAfterACrashKeepsItsPlaceInLine() throws Exception {
        Queue queue = queue(Duration.ofMillis(300), 3, Duration.ofMillis(1));
        String type = uniqueType();
        submit(queue, type, 1, Priority.BULK);
        ClaimedTask crashed = queue.leases().claim(UUID.randomUUID(), List.of(type), 1).getFirst();
        Job later = submit(queue, type, 3 * ITEMS_PER_TASK, Priority.BULK); // queued behind it
        Thread.sleep(400);
        assertEquals(1, reapAll(queue));

        ClaimedTask next = queue.leases().claim(UUID.randomUUID(), List.of(type), 1).getFirst();

        assertEquals(crashed.id(), next.id(), "the reaped task goes before the work queued after it");
        assertNotEquals(later.id(), next.jobId());
    }

    @Test
    void aTaskThatKeepsCrashingIsSplitUntilThePoisonItemFailsAlone() throws Exception {
        Queue queue = queue(Duration.ofMillis(300), 3, Duration.ofMillis(1));
        String type = uniqueType();
        Job job = submit(queue, type, ITEMS_PER_TASK, Priority.BULK); // one task of 10 items; c7 kills its worker
        int crashes = 0;
        for (int round = 0; round < 40 && !jobs.get(tenant.id(), job.id()).status().terminal(); round++) {
            ClaimedTask task = awaitClaim(queue, type);
            if (queue.leases().items(task).stream().anyMatch(i -> i.customId().equals("c7"))) {
                crashes++; // the worker dies: no completion, no heartbeat
                Thread.sleep(400);
                assertTrue(reapAll(queue) >= 1); // other tests' expired leases may go with it
            } else {
                queue.leases().complete(task, echo(queue, task));
            }
        }

        Job done = jobs.get(tenant.id(), job.id());
        assertEquals(JobStatus.FAILED, done.status(), "the lone item's task died, as a task out of attempts does");
        assertEquals(Map.of("succeeded", 9, "failed", 1), countItems(job.id()));
        assertEquals("worker_crashed", errorCodeOf(job.id(), "c7"));
        // MAX_CRASHES before the first split, then one crash per halving: 10 -> 5 -> 3 -> 1
        assertEquals(MAX_CRASHES + 3, crashes);
    }

    @Test
    void heartbeatsKeepALeaseAlive() throws Exception {
        Queue queue = queue(Duration.ofMillis(400), 3, Duration.ofMillis(1));
        String type = uniqueType();
        submit(queue, type, 1, Priority.BULK);
        ClaimedTask task = queue.leases().claim(UUID.randomUUID(), List.of(type), 1).getFirst();
        for (int i = 0; i < 4; i++) {
            Thread.sleep(200);
            assertEquals(Heartbeat.EXTENDED, queue.leases().heartbeat(task));
            reapAll(queue);
        }
        queue.leases().complete(task, echo(queue, task)); // still ours after 800 ms, twice the lease
    }

    @Test
    void failedAttemptsBackOffExponentiallyThenTheTaskIsDead() throws Exception {
        Queue queue = queue(Duration.ofSeconds(30), 3, Duration.ofMillis(400));
        RetryPolicy policy = new RetryPolicy(new QueueConfig(ITEMS_PER_TASK, 3, Duration.ofSeconds(30),
                Duration.ofMillis(400), Duration.ofMinutes(5), Duration.ofDays(7), MAX_CRASHES));
        String type = uniqueType();
        Job job = submit(queue, type, 3, Priority.BULK);

        ClaimedTask first = queue.leases().claim(UUID.randomUUID(), List.of(type), 1).getFirst();
        Instant failedAt = Instant.now();
        assertEquals(ItemCounts.NONE, queue.leases().fail(first, "boom", "boom 1", true), "it runs again: no item ended");
        TaskRow row = task(first.id());
        assertEquals("retrying", row.status());
        assertEquals("boom 1", row.lastError());
        assertWithin(row.runAfter(), failedAt, policy.ceiling(1));
        assertEquals(List.of(), queue.leases().claim(UUID.randomUUID(), List.of(type), 1), "claimable before its backoff");

        ClaimedTask second = awaitClaim(queue, type);
        assertEquals(2, second.attempt());
        failedAt = Instant.now();
        queue.leases().fail(second, "boom", "boom 2", true);
        assertWithin(task(first.id()).runAfter(), failedAt, policy.ceiling(2));

        ClaimedTask third = awaitClaim(queue, type);
        assertEquals(ItemCounts.failed(3), queue.leases().fail(third, "boom", "boom 3", true));
        assertEquals("dead", task(first.id()).status());
        Job failed = jobs.get(tenant.id(), job.id());
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals(3, failed.failedItems());
        List<JobItem> items = jobs.items(tenant.id(), job.id(), null, -1, 10);
        assertTrue(items.stream().allMatch(i -> "task_failed".equals(i.errorCode())
                && i.errorMessage().contains("3 attempt(s): boom 3")), items.toString());
    }

    @Test
    void aNonRetryableFailureIsDeadAtOnce() {
        Queue queue = queue();
        String type = uniqueType();
        Job job = submit(queue, type, 2, Priority.BULK);
        ClaimedTask task = queue.leases().claim(UUID.randomUUID(), List.of(type), 1).getFirst();
        queue.leases().fail(task, "unsupported_input", "that input is not supported", false);
        assertEquals("dead", task(task.id()).status());
        assertEquals(JobStatus.FAILED, jobs.get(tenant.id(), job.id()).status());
        List<JobItem> items = jobs.items(tenant.id(), job.id(), null, -1, 10);
        assertTrue(items.stream().allMatch(i -> i.errorCode().equals("unsupported_input")
                && i.errorMessage().equals("that input is not supported")), items.toString());
    }

    @Test
    void aTaskOfACancelledJobNeverRunsAgainAfterItsWorkerDies() throws Exception {
        Queue queue = queue(Duration.ofMillis(200), 3, Duration.ofMillis(1));
        String type = uniqueType();
        Job job = submit(queue, type, 10, Priority.BULK);
        ClaimedTask orphan = queue.leases().claim(UUID.randomUUID(), List.of(type), 1).getFirst();
        queue.intake().cancel(tenant.id(), job.id());
        Thread.sleep(300); // the worker died without noticing the cancel
        assertEquals(new TaskLeases.Reaped(1, ItemCounts.cancelled(10)), queue.leases().reapExpiredLeases(1000));
        assertEquals("cancelled", task(orphan.id()).status());
        assertEquals(List.of(), queue.leases().claim(UUID.randomUUID(), List.of(type), 1));
        Job after = jobs.get(tenant.id(), job.id());
        assertEquals(10, after.cancelledItems());
        assertEquals(0, after.pendingItems());
    }

    @Test
    void aFailedAttemptOfACancelledJobIsNotRetried() {
        Queue queue = queue();
        String type = uniqueType();
        Job job = submit(queue, type, 10, Priority.BULK);
        ClaimedTask task = queue.leases().claim(UUID.randomUUID(), List.of(type), 1).getFirst();
        queue.intake().cancel(tenant.id(), job.id());
        queue.leases().fail(task, "boom", "boom", true);
        assertEquals("cancelled", task(task.id()).status());
        assertEquals(10, jobs.get(tenant.id(), job.id()).cancelledItems());
    }

    @Test
    void releaseHandsATaskBackWithoutCountingTheAttempt() {
        Queue queue = queue();
        String type = uniqueType();
        submit(queue, type, 1, Priority.BULK);
        ClaimedTask task = queue.leases().claim(UUID.randomUUID(), List.of(type), 1).getFirst();
        queue.leases().release(task);
        ClaimedTask again = queue.leases().claim(UUID.randomUUID(), List.of(type), 1).getFirst();
        assertEquals(task.id(), again.id());
        assertEquals(1, again.attempt());
    }

    @Test
    void cancelStopsPendingTasksAndKeepsFinishedResults() {
        Queue queue = queue();
        String type = uniqueType();
        Job job = submit(queue, type, 30, Priority.BULK); // 3 tasks
        UUID worker = UUID.randomUUID();
        ClaimedTask done = queue.leases().claim(worker, List.of(type), 1).getFirst();
        queue.leases().complete(done, echo(queue, done));
        ClaimedTask running = queue.leases().claim(worker, List.of(type), 1).getFirst();

        Job cancelled = queue.intake().cancel(tenant.id(), job.id());
        assertEquals(JobStatus.CANCELLED, cancelled.status());
        assertEquals(List.of(), queue.leases().claim(worker, List.of(type), 5), "a cancelled job's waiting task was claimed");
        assertEquals(Heartbeat.CANCEL_REQUESTED, queue.leases().heartbeat(running));
        queue.leases().abandon(running);

        Job after = jobs.get(tenant.id(), job.id());
        assertEquals(JobStatus.CANCELLED, after.status());
        assertEquals(10, after.succeededItems());
        assertEquals(20, after.cancelledItems());
        assertEquals(0, after.pendingItems());
        List<JobItem> kept = jobs.items(tenant.id(), job.id(), "succeeded", -1, 100);
        assertEquals(10, kept.size());
        assertTrue(kept.stream().allMatch(i -> i.resultJson().contains("echo")));
        MontageException again = assertThrows(MontageException.class, () -> queue.intake().cancel(tenant.id(), job.id()));
        assertEquals("job_not_cancellable", again.code());
    }

    @Test
    void aRunningTaskOfACancelledJobStillRecordsWhatItFinished() {
        Queue queue = queue();
        String type = uniqueType();
        Job job = submit(queue, type, 20, Priority.BULK);
        ClaimedTask running = queue.leases().claim(UUID.randomUUID(), List.of(type), 1).getFirst();
        queue.intake().cancel(tenant.id(), job.id());
        queue.leases().complete(running, echo(queue, running));
        Job after = jobs.get(tenant.id(), job.id());
        assertEquals(JobStatus.CANCELLED, after.status());
        assertEquals(10, after.succeededItems());
        assertEquals(10, after.cancelledItems());
    }

    @Test
    void countsAreExactAfterConcurrentCompletion() throws Exception {
        Queue queue = queue();
        String type = uniqueType();
        Job job = submit(queue, type, 600, Priority.BULK); // 60 tasks
        List<ClaimedTask> claimed = queue.leases().claim(UUID.randomUUID(), List.of(type), 60);
        assertEquals(60, claimed.size());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<ItemCounts>> done = new ArrayList<>();
        for (ClaimedTask task : claimed) {
            done.add(pool.submit(() -> {
                // every third item fails, and each task omits its last item (it must fail as no_result)
                List<TaskItem> items = queue.leases().items(task);
                List<ItemOutcome> outcomes = new ArrayList<>();
                for (TaskItem item : items.subList(0, items.size() - 1)) {
                    outcomes.add(item.seq() % 3 == 0 ? ItemOutcome.failed(item.seq(), "bad_input", "no")
                            : ItemOutcome.succeeded(item.seq(), "{}"));
                }
                return queue.leases().complete(task, outcomes);
            }));
        }
        ItemCounts returned = ItemCounts.NONE;
        for (Future<ItemCounts> f : done) {
            returned = returned.plus(f.get());
        }
        pool.shutdown();
        Job after = jobs.get(tenant.id(), job.id());
        assertEquals(new ItemCounts(after.succeededItems(), after.failedItems(), 0), returned,
                "what complete returned to the finishers");
        Map<String, Integer> actual = countItems(job.id());
        assertEquals(JobStatus.SUCCEEDED, after.status());
        assertEquals(actual.getOrDefault("succeeded", 0), after.succeededItems());
        assertEquals(actual.getOrDefault("failed", 0), after.failedItems());
        assertEquals(600, after.succeededItems() + after.failedItems());
        int expectedFailed = (int) IntStream.range(0, 600).filter(i -> i % 10 == 9 || i % 3 == 0).count();
        assertEquals(expectedFailed, after.failedItems());
        assertEquals(60, jobs.items(tenant.id(), job.id(), "failed", -1, 1000).stream()
                .filter(i -> "no_result".equals(i.errorCode())).count());
    }

    @Test
    void interactiveTasksAreClaimedBeforeBulkOnes() {
        Queue queue = queue();
        String type = uniqueType();
        Job bulk = submit(queue, type, 50, Priority.BULK);
        Job interactive = submit(queue, type, 1, Priority.INTERACTIVE);
        ClaimedTask first = queue.leases().claim(UUID.randomUUID(), List.of(type), 1).getFirst();
        assertEquals(interactive.id(), first.jobId());
        assertNotEquals(bulk.id(), first.jobId());
    }

    // ---- fairness across tenants ----

    @Test
    void aTenantsOneTaskIsNotQueuedBehindAnotherTenantsThousand() {
        Queue queue = queue();
        String type = uniqueType();
        Tenant a = SharedContext.newTenant();
        Tenant b = SharedContext.newTenant();
        submit(queue, a, type, 1000 * ITEMS_PER_TASK, Priority.BULK); // 1,000 tasks, all queued before B's
        Job small = submit(queue, b, type, 1, Priority.BULK);
        UUID worker = UUID.randomUUID();
        List<UUID> owners = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            owners.add(queue.leases().claim(worker, List.of(type), 1).getFirst().tenantId());
        }
        assertTrue(owners.contains(b.id()), "B's task within the first two claims, not after A's 1,000: " + owners);
        assertTrue(jobs.get(b.id(), small.id()).status() == JobStatus.RUNNING);
    }

    @Test
    void oneClaimOfSeveralTasksSharesThemAcrossTenants() {
        Queue queue = queue();
        String type = uniqueType();
        Tenant a = SharedContext.newTenant();
        Tenant b = SharedContext.newTenant();
        Tenant c = SharedContext.newTenant();
        submit(queue, a, type, 100 * ITEMS_PER_TASK, Priority.BULK);
        submit(queue, b, type, 100 * ITEMS_PER_TASK, Priority.BULK);
        submit(queue, c, type, 1, Priority.BULK);
        Map<UUID, Long> perTenant = countByTenant(queue.leases().claim(UUID.randomUUID(), List.of(type), 5));
        assertEquals(Map.of(a.id(), 2L, b.id(), 2L, c.id(), 1L), perTenant);
    }

    @Test
    void aWorkerRunningOneTaskAtATimeAlternatesTenants() {
        Queue queue = queue();
        String type = uniqueType();
        Tenant a = SharedContext.newTenant();
        Tenant b = SharedContext.newTenant();
        submit(queue, a, type, 50 * ITEMS_PER_TASK, Priority.BULK);
        submit(queue, b, type, 50 * ITEMS_PER_TASK, Priority.BULK);
        UUID worker = UUID.randomUUID();
        List<UUID> owners = new ArrayList<>();
        for (int i = 0; i < 6; i++) { // each task ends before the next claim: no running share to go by
            ClaimedTask task = queue.leases().claim(worker, List.of(type), 1).getFirst();
            owners.add(task.tenantId());
            queue.leases().complete(task, echo(queue, task));
        }
        assertEquals(List.of(a.id(), b.id(), a.id(), b.id(), a.id(), b.id()), owners);
    }

    @Test
    void theTenantWithFewerRunningTasksGoesFirst() {
        Queue queue = queue();
        String type = uniqueType();
        Tenant a = SharedContext.newTenant();
        Tenant b = SharedContext.newTenant();
        submit(queue, a, type, 20 * ITEMS_PER_TASK, Priority.BULK);
        UUID worker = UUID.randomUUID();
        assertEquals(3, queue.leases().claim(worker, List.of(type), 3).size()); // A holds three slots
        submit(queue, b, type, 20 * ITEMS_PER_TASK, Priority.BULK);
        assertEquals(Map.of(b.id(), 3L), countByTenant(queue.leases().claim(worker, List.of(type), 3)),
                "B catches up with A's share first");
        assertEquals(Map.of(a.id(), 1L, b.id(), 1L), countByTenant(queue.leases().claim(worker, List.of(type), 2)),
                "then they take turns");
    }

    @Test
    void platformWorkIsClaimedAlongsideTenantsWork() {
        Queue queue = queue();
        String type = uniqueType();
        Tenant a = SharedContext.newTenant();
        submit(queue, a, type, 100 * ITEMS_PER_TASK, Priority.BULK);
        Job platform = database.asSystem(c -> queue.intake().enqueueForPlatform(c,
                new NewJob(type, Priority.BULK, "{}", List.of(new NewItem(null, "{}")))));
        List<ClaimedTask> claimed = queue.leases().claim(UUID.randomUUID(), List.of(type), 2);
        assertTrue(claimed.stream().anyMatch(t -> t.tenantId() == null && t.jobId().equals(platform.id())),
                "the platform's task (no tenant) is one more owner, claimed with the first: " + claimed);
    }

    @Test
    void priorityStillComesBeforeShare() {
        Queue queue = queue();
        String type = uniqueType();
        Tenant a = SharedContext.newTenant();
        Tenant b = SharedContext.newTenant();
        submit(queue, a, type, 3, Priority.INTERACTIVE);
        UUID worker = UUID.randomUUID();
        assertEquals(a.id(), queue.leases().claim(worker, List.of(type), 1).getFirst().tenantId());
        submit(queue, a, type, 3, Priority.INTERACTIVE);
        submit(queue, b, type, 3, Priority.BULK);
        ClaimedTask next = queue.leases().claim(worker, List.of(type), 1).getFirst();
        assertEquals(Priority.INTERACTIVE, next.priority(), "A's interactive task before B's bulk one");
        assertTrue(next.interactive());
    }

    @Test
    void anInteractiveOnlyClaimLeavesBulkWorkQueued() {
        Queue queue = queue();
        String type = uniqueType();
        Tenant a = SharedContext.newTenant();
        submit(queue, a, type, 5 * ITEMS_PER_TASK, Priority.BULK);
        UUID worker = UUID.randomUUID();
        assertEquals(List.of(), queue.leases().claim(worker, List.of(type), List.of(), Priority.INTERACTIVE, 4));
        Job interactive = submit(queue, a, type, 1, Priority.INTERACTIVE);
        List<ClaimedTask> claimed = queue.leases().claim(worker, List.of(type), List.of(), Priority.INTERACTIVE, 4);
        assertEquals(List.of(interactive.id()), claimed.stream().map(ClaimedTask::jobId).toList());
    }

    @Test
    void tasksForAModelTheWorkerDoesNotServeAreLeftForOthers() throws Exception {
        Queue queue = queue();
        String type = uniqueType();
        Tenant a = SharedContext.newTenant();
        java.nio.file.Path bundle = FakeBundle.write(java.nio.file.Files.createTempDirectory("bundle"),
                "fair-" + UUID.randomUUID().toString().substring(0, 8), "1.0.0", "weights");
        UUID model = SharedContext.bean(ModelRegistry.class).register(bundle.toString()).id();
        queue.intake().submit(a.id(), new NewJob(type, Priority.BULK, "{}", model, List.of(new NewItem(null, "{}"))));
        Job free = submit(queue, a, type, 1, Priority.BULK);
        assertEquals(List.of(free.id()), queue.leases().claim(UUID.randomUUID(), List.of(type), List.of(), 4).stream()
                .map(ClaimedTask::jobId).toList(), "a worker without the model takes only the model-free task");
        assertEquals(1, queue.leases().claim(UUID.randomUUID(), List.of(type), List.of(model), 4).size());
    }

    @Test
    void concurrentClaimersAcrossTenantsNeverRunATaskTwice() throws Exception {
        Queue queue = queue();
        String type = uniqueType();
        for (int t = 0; t < 3; t++) {
            submit(queue, SharedContext.newTenant(), type, 20 * ITEMS_PER_TASK, Priority.BULK);
        }
        assertEquals(60, claimEverythingConcurrently(queue, type, 6, 3));
    }

    /**
     * {@code claimers} workers claim {@code perClaim} tasks at a time and complete them until none is left.
     *
     * @return how many tasks were claimed, after checking that none was claimed twice
     */
    private static int claimEverythingConcurrently(Queue queue, String type, int claimers, int perClaim)
            throws Exception {
        Map<Long, UUID> holder = new ConcurrentHashMap<>();
        AtomicInteger doubleClaims = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(claimers);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < claimers; w++) {
            UUID worker = UUID.randomUUID();
            running.add(pool.submit(() -> {
                List<ClaimedTask> claimed;
                while (!(claimed = queue.leases().claim(worker, List.of(type), perClaim)).isEmpty()) {
                    for (ClaimedTask task : claimed) {
                        if (holder.putIfAbsent(task.id(), worker) != null) {
                            doubleClaims.incrementAndGet();
                        }
                        queue.leases().complete(task, echo(queue, task));
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        assertEquals(0, doubleClaims.get(), "tasks claimed twice");
        return holder.size();
    }

    private static Map<UUID, Long> countByTenant(List<ClaimedTask> claimed) {
        return claimed.stream().collect(java.util.stream.Collectors.groupingBy(ClaimedTask::tenantId,
                java.util.stream.Collectors.counting()));
    }

    @Test
    void aJobExistsOnlyIfItsTransactionCommits() {
        Queue queue = queue();
        String type = uniqueType();
        assertThrows(IllegalStateException.class, () -> database.inTenant(tenant.id(), c -> {
            queue.intake().enqueue(c, tenant.id(), new NewJob(type, Priority.BULK, "{}", List.of(new NewItem(null, "{}"))));
            throw new IllegalStateException("the caller's own write failed");
        }));
        assertEquals(List.of(), queue.leases().claim(UUID.randomUUID(), List.of(type), 1));
        assertTrue(jobs.list(tenant.id(), null, null, 1000).stream().noneMatch(j -> j.type().equals(type)));
    }

    @Test
    void aOneStatementEnqueueThatFailsLeavesNothing() {
        Queue queue = queue();
        String type = uniqueType();
        List<NewItem> items = List.of(new NewItem(null, "{\"n\":1}"), new NewItem(null, "{not json"));
        assertThrows(DataAccessException.class,
                () -> queue.intake().submit(tenant.id(), new NewJob(type, Priority.BULK, "{}", items)));
        assertEquals(List.of(), queue.leases().claim(UUID.randomUUID(), List.of(type), 1));
        assertTrue(jobs.list(tenant.id(), null, null, 1000).stream().noneMatch(j -> j.type().equals(type)));
    }

    @Test
    void aLostLeaseWritesNothingAtCompletion() throws Exception {
        Queue queue = queue(Duration.ofMillis(200), 3, Duration.ofSeconds(30));
        String type = uniqueType();
        Job job = submit(queue, type, 3, Priority.BULK);
        ClaimedTask task = queue.leases().claim(UUID.randomUUID(), List.of(type), 1).getFirst();
        Thread.sleep(300);
        assertEquals(1, reapAll(queue)); // retrying now, under no lease
        assertThrows(LeaseLostException.class, () -> queue.leases().complete(task, echo(queue, task)));
        assertEquals(Map.of("pending", 3), countItems(job.id()));
        Job after = jobs.get(tenant.id(), job.id());
        assertEquals(0, after.succeededItems() + after.failedItems());
        assertEquals(JobStatus.RUNNING, after.status());
    }

    @Test
    void completionFailsTheItemsItsOutcomesMissAndCountsThemOnce() {
        Queue queue = queue();
        String type = uniqueType();
        Job job = submit(queue, type, 4, Priority.BULK);
        ClaimedTask task = queue.leases().claim(UUID.randomUUID(), List.of(type), 1).getFirst();
        List<TaskItem> items = queue.leases().items(task);
        assertEquals(new ItemCounts(1, 3, 0), queue.leases().complete(task, List.of(
                ItemOutcome.succeeded(items.get(0).seq(), "{}"),
                ItemOutcome.failed(items.get(1).seq(), "bad_input", "no"))));
        assertEquals(Map.of("succeeded", 1, "failed", 3), countItems(job.id()));
        Job done = jobs.get(tenant.id(), job.id());
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals(1, done.succeededItems());
        assertEquals(3, done.failedItems());
        assertEquals(List.of("bad_input", "no_result", "no_result"), jobs.items(tenant.id(), job.id(), "failed", -1, 10)
                .stream().map(JobItem::errorCode).toList());
    }

    @Test
    void aTaskWithLargeInputsIsClaimedWithoutThemAndReadsThemApart() {
        Queue queue = queue();
        String type = uniqueType();
        byte[] image = new byte[TaskClaims.CARRIED_INPUT_BYTES + 1];
        new java.util.Random(7).nextBytes(image); // incompressible: the stored size stays above the limit
        String json = "{\"image_bytes\":" + image.length + "}"; // an image's bytes count, beside its JSON
        queue.intake().submit(tenant.id(), new NewJob(type, Priority.BULK, "{}",
                List.of(new NewItem("big", json, image, null, null))));
        submit(queue, type, 2, Priority.BULK);
        List<ClaimedTask> claimed = queue.leases().claim(UUID.randomUUID(), List.of(type), 2);
        ClaimedTask big = claimed.stream().filter(t -> t.items() == null).findFirst().orElseThrow();
        ClaimedTask small = claimed.stream().filter(t -> t.items() != null).findFirst().orElseThrow();
        TaskItem read = queue.leases().items(big).getFirst();
        assertEquals(List.of(0, "big", json), List.of(read.seq(), read.customId(), read.inputJson()));
        assertArrayEquals(image, read.inputBytes());
        assertEquals(List.of("c0", "c1"), small.items().stream().map(TaskItem::customId).toList());
        assertTrue(small.items().stream().allMatch(item -> item.inputBytes() == null));
        byte[] icon = {(byte) 0x89, 'P', 'N', 'G'};
        queue.intake().submit(tenant.id(), new NewJob(type, Priority.BULK, "{}",
                List.of(new NewItem("icon", "{\"image_bytes\":4}", icon, null, null))));
        TaskItem carried = queue.leases().claim(UUID.randomUUID(), List.of(type), 1).getFirst().items().getFirst();
        assertArrayEquals(icon, carried.inputBytes()); // small bytes come with the claim
    }

    @Test
    void aJobOfSeveralBatchesIsWrittenWhole() {
        Queue queue = queue();
        String type = uniqueType();
        Job job = submit(queue, type, 12_345, Priority.BULK); // 5,000 items a batch
        assertEquals(12_345, job.totalItems());
        record Layout(long items, long distinctSeqs, int maxSeq, long tasks, long unevenTasks) {
        }
        Layout layout = database.inTenant(tenant.id(), c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT count(*), count(DISTINCT seq), max(seq), "
                    + "count(DISTINCT task_id), (SELECT count(*) FROM (SELECT task_id FROM items WHERE job_id = ? "
                    + "GROUP BY task_id HAVING max(seq) - min(seq) + 1 <> count(*) OR min(seq) % ? <> 0) x) "
                    + "FROM items WHERE job_id = ?")) {
                s.setObject(1, job.id());
                s.setInt(2, ITEMS_PER_TASK);
                s.setObject(3, job.id());
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return new Layout(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getLong(4), rs.getLong(5));
                }
            }
        });
        assertEquals(new Layout(12_345, 12_345, 12_344, 1_235, 0), layout);
    }

    @Test
    void aStreamedJobWithRejectedItemsCountsThemAsFailedAndRunsTheRest() {
        Queue queue = queue();
        String type = uniqueType();
        List<NewItem> items = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            items.add(i % 5 == 0 ? NewItem.rejected("line-" + i, "invalid_json", "line " + i + " is not JSON")
                    : new NewItem("line-" + i, "{\"n\":" + i + "}"));
        }
        Job job = database.inTenant(tenant.id(), c -> queue.intake().enqueue(c, tenant.id(),
                new JobSpec(type, Priority.BULK, "{}", null, null, null), items.iterator()));
        assertEquals(25, job.totalItems());
        assertEquals(5, job.failedItems(), "rejected lines are failed from the start");
        List<ClaimedTask> tasks = queue.leases().claim(UUID.randomUUID(), List.of(type), 10);
        assertEquals(3, tasks.size());
        int pending = 0;
        for (ClaimedTask task : tasks) {
            List<TaskItem> toRun = queue.leases().items(task);
            pending += toRun.size();
            queue.leases().complete(task, echo(queue, task));
        }
        assertEquals(20, pending, "workers never see rejected items");
        Job done = jobs.get(tenant.id(), job.id());
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals(20, done.succeededItems());
        assertEquals(5, done.failedItems());
        assertEquals("invalid_json", jobs.items(tenant.id(), job.id(), "failed", -1, 10).getFirst().errorCode());
    }

    @Test
    void aStreamedJobWithNoItemsIsRefused() {
        MontageException e = assertThrows(MontageException.class, () -> database.inTenant(tenant.id(), c ->
                queue().intake().enqueue(c, tenant.id(), new JobSpec(uniqueType(), Priority.BULK, "{}", null, null, null),
                        java.util.Collections.emptyIterator())));
        assertEquals("empty_job", e.code());
    }

    @Test
    void expiredFinishedJobsAreDeletedWithTheirItemsButRunningOnesAreKept() {
        Queue queue = queue();
        String type = uniqueType();
        java.time.Instant past = java.time.Instant.now().minusSeconds(60);
        Job finished = database.inTenant(tenant.id(), c -> queue.intake().enqueue(c, tenant.id(),
                new JobSpec(type, Priority.BULK, "{}", null, null, past), List.of(new NewItem("a", "{}")).iterator()));
        Job running = database.inTenant(tenant.id(), c -> queue.intake().enqueue(c, tenant.id(),
                new JobSpec(type, Priority.BULK, "{}", null, null, past), List.of(new NewItem("b", "{}")).iterator()));
        ClaimedTask first = queue.leases().claim(UUID.randomUUID(), List.of(type), 1).getFirst();
        ClaimedTask second = queue.leases().claim(UUID.randomUUID(), List.of(type), 1).getFirst();
        ClaimedTask done = first.jobId().equals(finished.id()) ? first : second;
        queue.leases().complete(done, echo(queue, done));

        SharedContext.bean(JobRetention.class).deleteExpired(1000);
        assertTrue(jobs.find(tenant.id(), finished.id()).isEmpty(), "expired and finished: gone");
        assertEquals(Map.of(), countItems(finished.id()), "its items went with it");
        assertTrue(jobs.find(tenant.id(), running.id()).isPresent(), "still running: kept");
    }

    @Test
    void claimingSetsTheJobRunning() {
        Queue queue = queue();
        String type = uniqueType();
        Job job = submit(queue, type, 20, Priority.BULK);
        assertEquals(JobStatus.QUEUED, job.status());
        assertNull(job.startedAt());
        queue.leases().claim(UUID.randomUUID(), List.of(type), 1);
        Job running = jobs.get(tenant.id(), job.id());
        assertEquals(JobStatus.RUNNING, running.status());
        assertEquals(20, running.pendingItems());
    }

    // ---- helpers ----

    private static int reapAll(Queue queue) {
        return queue.leases().reapExpiredLeases(1000).tasks();
    }

    private static ClaimedTask awaitClaim(Queue queue, String type) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            List<ClaimedTask> claimed = queue.leases().claim(UUID.randomUUID(), List.of(type), 1);
            if (!claimed.isEmpty()) {
                return claimed.getFirst();
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no task of type " + type + " became claimable within 5 s");
    }

    private static void assertWithin(Instant runAfter, Instant failedAt, Duration ceiling) {
        Duration delay = Duration.between(failedAt, runAfter);
        // the database clock and ours differ by the statement's duration: allow 250 ms
        assertTrue(delay.compareTo(ceiling.dividedBy(2).minusMillis(250)) >= 0
                        && delay.compareTo(ceiling.plusMillis(250)) <= 0,
                "backoff " + delay + " outside [" + ceiling.dividedBy(2) + ", " + ceiling + "]");
    }

    record TaskRow(String status, String lastError, Instant runAfter) {
    }

    private static TaskRow task(long id) {
        return database.asSystem(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT status, last_error, run_after FROM tasks WHERE id = ?")) {
                s.setLong(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return new TaskRow(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant());
                }
            }
        });
    }

    private static String errorCodeOf(UUID jobId, String customId) {
        return database.inTenant(tenant.id(), c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT error_code FROM items WHERE job_id = ? AND custom_id = ?")) {
                s.setObject(1, jobId);
                s.setString(2, customId);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    private static Map<String, Integer> countItems(UUID jobId) {
        return database.inTenant(tenant.id(), c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT status, count(*) FROM items WHERE job_id = ? GROUP BY status")) {
                s.setObject(1, jobId);
                Map<String, Integer> counts = new HashMap<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        counts.put(rs.getString(1), rs.getInt(2));
                    }
                }
                return counts;
            }
        });
    }
}
