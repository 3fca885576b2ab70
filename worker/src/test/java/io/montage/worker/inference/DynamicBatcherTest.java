package io.montage.worker.inference;

import io.montage.worker.fairshare.Flow;
import io.montage.worker.testing.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the batcher fills batches: fairly across flows, full for a lone flow, never holding more of a flow than its
 * window, and never making a lone interactive request wait for company. The model behind it is replaced by a runner that records each batch (DJL is the boundary here;
 * ModelServingTest runs the real one).
 */
class DynamicBatcherTest {

    private static final int MAX_BATCH = 32;

    /** Records the batches; the first one waits for {@link #release}, so the test decides what queues behind it. */
    private static final class RecordingRunner implements DynamicBatcher.BatchRunner<String> {
        final List<List<String>> batches = new CopyOnWriteArrayList<>();
        final CountDownLatch firstStarted = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public float[][] run(List<String> batch) throws InterruptedException {
            batches.add(List.copyOf(batch));
            firstStarted.countDown();
            release.await();
            return batch.stream().map(b -> new float[] {1}).toArray(float[][]::new);
        }

        @Override
        public void close() {
        }
    }

    private static DynamicBatcher<String> batcher(RecordingRunner runner, Duration maxDelay) {
        return new DynamicBatcher<>("test", MAX_BATCH, maxDelay, 1, () -> runner);
    }

    @Test
    void aFlowsSingleRequestIsInTheNextBatchNotBehindAThousand() throws Exception {
        RecordingRunner runner = new RecordingRunner();
        try (DynamicBatcher<String> batcher = batcher(runner, Duration.ofMillis(5))) {
            Flow big = new Flow(UUID.randomUUID(), false, 1000, "big");
            Flow small = new Flow(UUID.randomUUID(), false, 1, "small");
            List<CompletableFuture<float[]>> bigResults = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                bigResults.add(batcher.submit(big, "big-" + i));
            }
            assertTrue(runner.firstStarted.await(10, TimeUnit.SECONDS));
            CompletableFuture<float[]> smallResult = batcher.submit(small, "small");
            runner.release.countDown();

            smallResult.get(10, TimeUnit.SECONDS);
            assertTrue(runner.batches.get(1).contains("small"),
                    "the first batch that started after it: " + runner.batches.get(1));
            for (CompletableFuture<float[]> result : bigResults) {
                result.get(10, TimeUnit.SECONDS);
            }
            assertTrue(runner.batches.stream().allMatch(b -> b.size() <= MAX_BATCH));
        }
    }

    @Test
    void aLoneTaskRunsFullBatchesAndNeverQueuesMoreThanItsWindow() throws Exception {
        RecordingRunner runner = new RecordingRunner();
        int window = 2 * MAX_BATCH;
        int items = 32 * MAX_BATCH;
        // a long fill wait: a batch runs as soon as it is full, so each one is
        try (DynamicBatcher<String> batcher = batcher(runner, Duration.ofSeconds(30))) {
            Flow task = new Flow(UUID.randomUUID(), false, window, "lone");
            AtomicInteger submitted = new AtomicInteger();
            List<CompletableFuture<float[]>> results = new CopyOnWriteArrayList<>();
            Thread taskThread = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < items; i++) {
                        String input = "item-" + i;
                        results.add(task.admit(() -> batcher.submit(task, input)));
                        submitted.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(runner.firstStarted.await(10, TimeUnit.SECONDS));
            // parked with a full window (it also parks briefly on the queue's lock while the runner takes a batch:
            // a WAITING state alone is not yet "waiting for room")
            Await.until(Duration.ofSeconds(10), "the task waits for room with its window full",
                    () -> submitted.get() >= window && taskThread.getState() == Thread.State.WAITING, full -> full);
            Thread.sleep(100); // room it should not get: the running batch is held, so nothing may leave the window
            assertEquals(window, submitted.get(), "one batch running, one queued: the window, and no more");

            runner.release.countDown();
            taskThread.join();
            for (CompletableFuture<float[]> result : results) {
                result.get(10, TimeUnit.SECONDS);
            }
            assertEquals(items / MAX_BATCH, runner.batches.size());
            assertTrue(runner.batches.stream().allMatch(b -> b.size() == MAX_BATCH), "every batch full");
            List<String> order = runner.batches.stream().flatMap(List::stream).toList();
            assertEquals("item-0", order.getFirst());
            assertEquals("item-" + (items - 1), order.getLast(), "one flow keeps its order");
        }
    }

    @Test
    void aLoneInteractiveRequestRunsAtOnce() throws Exception {
        RecordingRunner runner = new RecordingRunner();
        runner.release.countDown();
        // a fill wait far longer than the check's: waiting for company at all would time the get out
        try (DynamicBatcher<String> batcher = batcher(runner, Duration.ofSeconds(60))) {
            Flow caller = new Flow(UUID.randomUUID(), true, 1, "sync request");
            batcher.submit(caller, "only").get(10, TimeUnit.SECONDS);
            assertEquals(List.of(List.of("only")), runner.batches);
        }
    }

    @Test
    void interactiveRequestsThatArriveWhileABatchRunsGoTogetherInTheNext() throws Exception {
        RecordingRunner runner = new RecordingRunner();
        try (DynamicBatcher<String> batcher = batcher(runner, Duration.ofSeconds(60))) {
            CompletableFuture<float[]> first = batcher.submit(new Flow(UUID.randomUUID(), true, 1, "first"), "first");
            assertTrue(runner.firstStarted.await(10, TimeUnit.SECONDS), "the first ran without company");
            List<CompletableFuture<float[]>> later = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                later.add(batcher.submit(new Flow(UUID.randomUUID(), true, 1, "later " + i), "later-" + i));
            }
            runner.release.countDown();

            first.get(10, TimeUnit.SECONDS);
            for (CompletableFuture<float[]> result : later) {
                result.get(10, TimeUnit.SECONDS);
            }
            assertEquals(List.of(List.of("first"), List.of("later-0", "later-1", "later-2")), runner.batches);
        }
    }

    @Test
    void aBulkRequestStillWaitsForCompany() throws Exception {
        RecordingRunner runner = new RecordingRunner();
        runner.release.countDown();
        try (DynamicBatcher<String> batcher = batcher(runner, Duration.ofSeconds(60))) {
            Flow task = new Flow(UUID.randomUUID(), false, MAX_BATCH, "bulk");
            List<CompletableFuture<float[]>> results = new ArrayList<>();
            results.add(batcher.submit(task, "item-0"));
            Thread.sleep(200);
            assertTrue(runner.batches.isEmpty(), "a bulk task's first item waits for its next ones");
            for (int i = 1; i < MAX_BATCH; i++) {
                results.add(batcher.submit(task, "item-" + i));
            }
            for (CompletableFuture<float[]> result : results) {
                result.get(10, TimeUnit.SECONDS);
            }
            assertEquals(1, runner.batches.size(), "one full batch: " + runner.batches);
            assertEquals(MAX_BATCH, runner.batches.getFirst().size());
        }
    }
}
