package io.montage.worker.fairshare;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The order a FairQueue hands items out in: by class, then owner, then flow, each in turn. */
class FairQueueTest {

    private static final UUID A = UUID.randomUUID();
    private static final UUID B = UUID.randomUUID();

    private static Flow bulk(UUID owner, String name) {
        return new Flow(owner, false, 1, name);
    }

    private static List<String> takeAll(FairQueue<String> queue, int max) throws InterruptedException {
        return queue.take(max, 0, 0, () -> false);
    }

    @Test
    void aFlowWithOneItemIsServedNextToAFlowWithAThousand() throws Exception {
        FairQueue<String> queue = new FairQueue<>();
        Flow big = bulk(A, "big");
        Flow small = bulk(B, "small");
        IntStream.range(0, 1000).forEach(i -> queue.add(big, "big-" + i));
        queue.add(small, "small");

        List<String> batch = takeAll(queue, 32);

        assertEquals(32, batch.size());
        assertEquals(List.of("big-0", "small", "big-1", "big-2"), batch.subList(0, 4));
        assertEquals(969, queue.size());
    }

    @Test
    void interactiveItemsComeBeforeEveryBulkItem() throws Exception {
        FairQueue<String> queue = new FairQueue<>();
        Flow bulk = bulk(A, "bulk");
        Flow interactive = new Flow(A, true, 1, "sync");
        IntStream.range(0, 100).forEach(i -> queue.add(bulk, "bulk-" + i));
        queue.add(interactive, "sync-0");
        queue.add(interactive, "sync-1");

        assertEquals(List.of("sync-0", "sync-1", "bulk-0"), takeAll(queue, 3));
    }

    @Test
    void ownersTakeTurnsSoMoreTasksBuyNoMoreTurns() throws Exception {
        FairQueue<String> queue = new FairQueue<>();
        for (int f = 0; f < 3; f++) {
            Flow flow = bulk(A, "a" + f);
            for (int i = 0; i < 10; i++) {
                queue.add(flow, "a" + f + "-" + i);
            }
        }
        Flow b = bulk(B, "b");
        IntStream.range(0, 10).forEach(i -> queue.add(b, "b-" + i));

        List<String> first = takeAll(queue, 6);

        assertEquals(List.of("a0-0", "b-0", "a1-0", "b-1", "a2-0", "b-2"), first,
                "A's three tasks share A's turns; B's one task gets B's");
    }

    @Test
    void platformWorkIsAnOwnerLikeAnyTenant() throws Exception {
        FairQueue<String> queue = new FairQueue<>();
        Flow tenant = bulk(A, "tenant");
        Flow platform = bulk(null, "platform");
        IntStream.range(0, 5).forEach(i -> queue.add(tenant, "t-" + i));
        queue.add(platform, "p");

        assertTrue(takeAll(queue, 2).contains("p"));
    }

    @Test
    void aLoneFlowIsFirstInFirstOut() throws Exception {
        FairQueue<String> queue = new FairQueue<>();
        Flow only = bulk(A, "only");
        IntStream.range(0, 50).forEach(i -> queue.add(only, "i-" + i));

        List<String> out = takeAll(queue, 50);

        assertEquals(IntStream.range(0, 50).mapToObj(i -> "i-" + i).toList(), out);
        assertEquals(0, queue.size());
    }

    @Test
    void aFlowThatLeftAndCameBackQueuesBehindTheOthers() throws Exception {
        FairQueue<String> queue = new FairQueue<>();
        Flow a = bulk(A, "a");
        Flow b = bulk(B, "b");
        queue.add(a, "a-0");
        queue.add(b, "b-0");
        queue.add(b, "b-1");
        assertEquals(List.of("a-0"), takeAll(queue, 1));
        queue.add(a, "a-1"); // A had nothing queued: it rejoins at the back

        assertEquals(List.of("b-0", "a-1", "b-1"), takeAll(queue, 3));
    }

    @Test
    void anEmptyQueueGivesNothingOnceTheWaitIsOver() throws Exception {
        FairQueue<String> queue = new FairQueue<>();

        assertEquals(List.of(), queue.take(8, 1_000_000, 1_000_000, () -> true));
        assertEquals(null, queue.take(1, java.util.concurrent.TimeUnit.MILLISECONDS));
    }
}
