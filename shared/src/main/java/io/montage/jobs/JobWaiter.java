package io.montage.jobs;

import io.montage.notify.Notifications;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Lets a caller wait for a job to finish without polling: woken by NOTIFY on {@link QueueChannels#JOBS} (sent when
 * any task of an interactive job finishes), re-reading the job each time. A missed notification costs at most
 * {@link #RECHECK} of latency, never a hang; a bulk job, which sends none, is re-read every {@link #RECHECK}.
 */
@Singleton
public class JobWaiter {

    private static final Duration RECHECK = Duration.ofSeconds(1);

    private final Jobs jobs;
    private final Map<UUID, Set<Semaphore>> waiting = new ConcurrentHashMap<>();

    public JobWaiter(Jobs jobs, Notifications notifications) {
        this.jobs = jobs;
        notifications.subscribe(QueueChannels.JOBS, this::wake);
    }

    /** The job once it is terminal, or as it stands when {@code timeout} runs out. */
    public Job await(UUID tenantId, UUID jobId, Duration timeout) throws InterruptedException {
        Semaphore signal = new Semaphore(0); // a permit per wake-up: one that comes before we wait is kept
        waiting.computeIfAbsent(jobId, id -> ConcurrentHashMap.newKeySet()).add(signal);
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                Job job = jobs.get(tenantId, jobId);
                long left = deadline - System.nanoTime();
                if (job.status().terminal() || left <= 0) {
                    return job;
                }
                signal.tryAcquire(Math.min(left, RECHECK.toNanos()), TimeUnit.NANOSECONDS);
                signal.drainPermits();
            }
        } finally {
            waiting.computeIfPresent(jobId, (id, signals) -> {
                signals.remove(signal);
                return signals.isEmpty() ? null : signals;
            });
        }
    }

    private void wake(String jobId) {
        if (jobId == null) {
            waiting.values().forEach(signals -> signals.forEach(Semaphore::release));
            return;
        }
        Set<Semaphore> signals = waiting.get(UUID.fromString(jobId));
        if (signals != null) {
            signals.forEach(Semaphore::release);
        }
    }
}
