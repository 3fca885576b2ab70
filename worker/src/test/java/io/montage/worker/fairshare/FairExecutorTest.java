package io.montage.worker.fairshare;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decode pool runs a sync request's work next, not after the bulk work queued before it. */
class FairExecutorTest {

    @Test
    void interactiveWorkRunsBeforeBulkWorkQueuedEarlier() throws Exception {
        Flow bulk = new Flow(UUID.randomUUID(), false, 1000, "bulk");
        Flow sync = new Flow(UUID.randomUUID(), true, 1, "sync");
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch all = new CountDownLatch(102);
        try (FairExecutor pool = new FairExecutor("test-decode", 1)) {
            pool.execute(bulk, () -> {
                busy.countDown();
                await(release);
                all.countDown();
            });
            assertTrue(busy.await(10, TimeUnit.SECONDS));
            for (int i = 0; i < 100; i++) {
                String name = "bulk-" + i;
                pool.execute(bulk, () -> {
                    ran.add(name);
                    all.countDown();
                });
            }
            pool.forFlow(sync).execute(() -> {
                ran.add("sync");
                all.countDown();
            });
            release.countDown();
            assertTrue(all.await(10, TimeUnit.SECONDS));
        }
        assertEquals("sync", ran.getFirst());
        assertEquals(101, ran.size());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
