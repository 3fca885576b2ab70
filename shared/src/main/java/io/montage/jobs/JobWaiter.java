package io.montage.jobs;

import io.montage.notify.Notifications;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Lets a caller wait for a job to finish without polling: woken by NOTIFY on {@link QueueChannels#JOBS} (sent when
 * any task of the job finishes), reading the job after each wake-up. A missed notification costs at most
 * {@link #RECHECK} of latency, never a hang.
 */
@Singleton
public class JobWaiter {

    private static final Duration RECHECK = Duration.ofSeconds(1);
    /**
     * How many of the latest notified jobs are remembered: a job whose notification came between its enqueue's
     * commit and its caller's first wait (a descheduled api thread) is read at once instead of a {@link #RECHECK}
     * later. Far more than the jobs that can finish in such a gap; 1,024 UUIDs are ~100 KB.
     */
    private static final int RECENT = 1024;

    private final Jobs jobs;
    private final Map<UUID, Set<Semaphore>> waiting = new ConcurrentHashMap<>();
    private final Map<UUID, Boolean> recentlyNotified = new LinkedHashMap<>(RECENT * 2, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
            return size() > RECENT;
        }
    }; // guarded by itself

    public JobWaiter(Jobs jobs, Notifications notifications) {
        this.jobs = jobs;
        notifications.subscribe(QueueChannels.JOBS, this::wake);
    }

    /** The job once it is terminal, or as it stands when {@code timeout} runs out. */
    public Job await(UUID tenantId, UUID jobId, Duration timeout) throws InterruptedException {
        return await(jobId, timeout, true, () -> jobs.get(tenantId, jobId), job -> job.status().terminal());
    }

    /**
     * {@code read}'s answer once {@code finished} accepts it, or the last one when {@code timeout} runs out.
     * {@code readFirst} false: the caller has just queued the job, which cannot have finished unless its
     * notification came already, so the first read waits for that notification (the rest of the path costs one
     * read after the wake-up).
     */
    public <T> T await(UUID jobId, Duration timeout, boolean readFirst, Supplier<T> read, Predicate<T> finished)
            throws InterruptedException {
        Semaphore signal = new Semaphore(0); // a permit per wake-up: one that comes before we wait is kept
        waiting.computeIfAbsent(jobId, id -> ConcurrentHashMap.newKeySet()).add(signal);
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            // registered first, then looked up: wake() remembers first, then releases, so one of the two sees it
            if (!readFirst && !notifiedRecently(jobId)) {
                awaitWakeUp(signal, deadline);
            }
            while (true) {
                T state = read.get();
                if (finished.test(state) || System.nanoTime() - deadline >= 0) {
                    return state;
                }
                awaitWakeUp(signal, deadline);
            }
        } finally {
            waiting.computeIfPresent(jobId, (id, signals) -> {
                signals.remove(signal);
                return signals.isEmpty() ? null : signals;
            });
        }
    }

    /** Until a wake-up (one that came meanwhile counts), {@link #RECHECK} or the deadline, whichever is first. */
    private static void awaitWakeUp(Semaphore signal, long deadline) throws InterruptedException {
        long left = deadline - System.nanoTime();
        signal.tryAcquire(Math.max(0, Math.min(left, RECHECK.toNanos())), TimeUnit.NANOSECONDS);
        signal.drainPermits();
    }

    private boolean notifiedRecently(UUID jobId) {
        synchronized (recentlyNotified) {
            return recentlyNotified.containsKey(jobId);
        }
    }

    private void wake(String jobId) {
        if (jobId == null) {
            waiting.values().forEach(signals -> signals.forEach(Semaphore::release));
            return;
        }
        UUID id = UUID.fromString(jobId);
        synchronized (recentlyNotified) {
            recentlyNotified.put(id, Boolean.TRUE);
        }
        Set<Semaphore> signals = waiting.get(id);
        if (signals != null) {
            signals.forEach(Semaphore::release);
        }
    }
}
