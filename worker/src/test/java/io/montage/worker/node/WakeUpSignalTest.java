package io.montage.worker.node;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WakeUpSignalTest {

    private final WakeUpSignal signal = new WakeUpSignal();

    @Test
    void aSignalSentBeforeTheWaitIsNotLost() throws InterruptedException {
        signal.signal();

        assertTrue(timeToAwait(Duration.ofSeconds(5)).compareTo(Duration.ofSeconds(1)) < 0);
    }

    @Test
    void aSignalWakesOneWaitOnly() throws InterruptedException {
        signal.signal();
        signal.signal();
        signal.await(Duration.ofSeconds(5));

        assertTrue(timeToAwait(Duration.ofMillis(200)).compareTo(Duration.ofMillis(150)) >= 0);
    }

    @Test
    void aSignalFromAnotherThreadEndsTheWait() throws InterruptedException {
        Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            signal.signal();
        });

        assertTrue(timeToAwait(Duration.ofSeconds(5)).compareTo(Duration.ofSeconds(2)) < 0);
    }

    @Test
    void anAnnouncementWakesAndIsCountedAPlainSignalIsNot() throws InterruptedException {
        signal.signal();
        assertEquals(0, signal.announcements(), "a freed slot is no announcement");
        signal.await(Duration.ofSeconds(5));

        signal.announce();
        assertTrue(timeToAwait(Duration.ofSeconds(5)).compareTo(Duration.ofSeconds(1)) < 0);
        assertEquals(1, signal.announcements());
    }

    @Test
    void anInteractiveAnnouncementWakesAndIsCountedButNotAsGeneralWork() throws InterruptedException {
        signal.announceInteractive();
        assertTrue(timeToAwait(Duration.ofSeconds(5)).compareTo(Duration.ofSeconds(1)) < 0);
        assertEquals(1, signal.announcements());
        assertEquals(0, signal.generalAnnouncements());

        signal.announce();
        assertEquals(2, signal.announcements());
        assertEquals(1, signal.generalAnnouncements());
    }

    private Duration timeToAwait(Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        signal.await(timeout);
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
