package io.montage.worker.node;

import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Wakes the claim loop: new tasks were announced, or a slot became free. A signal sent while the loop is busy is
 * remembered, so one that arrives between "nothing to claim" and "wait" is not lost. Announcements are also counted,
 * so the loop can tell a freed slot alone (nothing new to claim if the queue was empty) from possible new work, and
 * interactive work alone (nothing new for the general claim) from any.
 */
@Singleton
final class WakeUpSignal {

    private final Lock lock = new ReentrantLock();
    private final Condition signalled = lock.newCondition();
    private boolean pending; // guarded by lock
    private long announcements; // guarded by lock
    private long generalAnnouncements; // guarded by lock

    /**
     * Tasks of any priority may have become claimable (a bulk task's notification, a model loaded, a LISTEN reconnect,
     * leases taken back): wakes the loop.
     */
    void announce() {
        count(true);
        signal();
    }

    /** Interactive tasks, and only those, were announced: wakes the loop. */
    void announceInteractive() {
        count(false);
        signal();
    }

    private void count(boolean general) {
        lock.lock();
        try {
            announcements++;
            if (general) {
                generalAnnouncements++;
            }
        } finally {
            lock.unlock();
        }
    }

    /** How many announcements were made so far. */
    long announcements() {
        return locked(() -> announcements);
    }

    /** How many of them were not of interactive tasks alone ({@link #announce}). */
    long generalAnnouncements() {
        return locked(() -> generalAnnouncements);
    }

    private long locked(LongSupplier read) {
        lock.lock();
        try {
            return read.getAsLong();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the loop without announcing work (a slot became free, the loop should stop). */
    void signal() {
        lock.lock();
        try {
            pending = true;
            signalled.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Returns when signalled (now, if a signal is pending) or after {@code timeout}, and consumes the signal. */
    void await(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (!pending && nanos > 0) {
                nanos = signalled.awaitNanos(nanos);
            }
            pending = false;
        } finally {
            lock.unlock();
        }
    }
}
