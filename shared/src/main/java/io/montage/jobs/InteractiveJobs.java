package io.montage.jobs;

import io.montage.db.Durability;
import io.montage.db.Lead;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A synchronous request as a small job like any other (ADR 0005): queued at interactive priority ahead of bulk work,
 * committed without waiting for the WAL flush (its rows serve only the caller waiting here), awaited by LISTEN/NOTIFY
 * and read back, job and results together, in one round trip after the wake-up.
 * The api's inference endpoints and the console's search playground both run their requests through it, so there is
 * one path through the workers for all traffic.
 */
@Singleton
public class InteractiveJobs {

    /** How a request ended: every item finished, or the job did not succeed in time. */
    public sealed interface Outcome {
        Job job();
    }

    /** The job succeeded: its items, in order, each with its result or its own error. */
    public record Finished(Job job, List<JobItem> items) implements Outcome {
    }

    /** The job is still running when the wait ran out ({@code job.status()} not terminal), or it failed. */
    public record Unfinished(Job job) implements Outcome {
        public boolean timedOut() {
            return !job.status().terminal();
        }
    }

    private final JobIntake queue;
    private final JobWaiter waiter;
    private final Jobs jobs;

    public InteractiveJobs(JobIntake queue, JobWaiter waiter, Jobs jobs) {
        this.queue = queue;
        this.waiter = waiter;
        this.jobs = jobs;
    }

    /** Queues the request for the tenant (one round trip) and waits up to {@code timeout} for it. */
    public Outcome run(UUID tenantId, NewJob request, Duration timeout) throws InterruptedException {
        return awaited(tenantId, request, timeout, queue.submit(tenantId, request, Durability.RELAXED));
    }

    /**
     * As {@link #run(UUID, NewJob, Duration)}, with {@code trailer} sent last in the enqueue's round trip (a quota's
     * usage, which refuses the request by failing: the job is then not queued).
     */
    public Outcome run(UUID tenantId, NewJob request, Duration timeout, Lead<?> trailer) throws InterruptedException {
        return awaited(tenantId, request, timeout, queue.submit(tenantId, request, Durability.RELAXED, trailer));
    }

    private Outcome awaited(UUID tenantId, NewJob request, Duration timeout, Job queued) throws InterruptedException {
        // just queued: it cannot be done before its notification, so the one read (job and results) follows that
        JobResults done = waiter.await(queued.id(), timeout, false,
                () -> jobs.results(tenantId, queued.id(), request.items().size()), r -> r.job().status().terminal());
        if (done.job().status() != JobStatus.SUCCEEDED) {
            return new Unfinished(done.job());
        }
        return new Finished(done.job(), done.items());
    }
}
