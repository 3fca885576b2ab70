package io.montage.worker.fairshare;

import io.montage.worker.testing.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A flow's window: its thread waits for room, and room comes back however an item ends. */
class FlowTest {

    @Test
    void theSubmittingThreadWaitsOnceTheWindowIsFull() throws Exception {
        Flow flow = new Flow(null, false, 3, "windowed");
        List<CompletableFuture<String>> items = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            items.add(new CompletableFuture<>());
        }
        AtomicInteger started = new AtomicInteger();
        Thread task = Thread.ofPlatform().start(() -> {
            try {
                for (CompletableFuture<String> item : items) {
                    flow.admit(() -> item);
                    started.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Await.until(Duration.ofSeconds(10), "the task blocks on its window", task::getState,
                state -> state == Thread.State.WAITING);
        assertEquals(3, started.get());

        items.get(0).complete("done");
        items.get(1).completeExceptionally(new IllegalStateException("failed items give their room back too"));
        Await.until(Duration.ofSeconds(10), "two more start", started::get, n -> n == 5);
        Await.until(Duration.ofSeconds(10), "then it waits again", task::getState,
                state -> state == Thread.State.WAITING);
        assertEquals(5, started.get());

        items.forEach(item -> item.complete("done"));
        task.join();
        assertEquals(10, started.get());
    }

    @Test
    void anItemThatCannotStartGivesItsRoomBack() throws Exception {
        Flow flow = new Flow(null, false, 1, "one");
        assertThrows(IllegalStateException.class, () -> flow.admit(() -> {
            throw new IllegalStateException("no");
        }));
        CompletableFuture<String> next = flow.admit(() -> CompletableFuture.completedFuture("room was given back"));
        assertEquals("room was given back", next.get());
    }
}
