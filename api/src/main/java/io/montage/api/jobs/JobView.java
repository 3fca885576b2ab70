package io.montage.api.jobs;

import io.micronaut.serde.annotation.Serdeable;
import io.montage.jobs.Job;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A job on the wire, with live progress: items per second since it started and, while it runs, the seconds left
 * at that pace.
 */
@Serdeable
public record JobView(UUID id, String object, String type, String status, Counts counts, Double itemsPerSecond,
                      Long etaSeconds, Instant createdAt, Instant startedAt, Instant finishedAt, Instant expiresAt) {

    @Serdeable
    public record Counts(int total, int succeeded, int failed, int cancelled, int pending) {
    }

    public static JobView of(Job job) {
        Double rate = null;
        Long eta = null;
        int done = job.succeededItems() + job.failedItems();
        if (job.startedAt() != null && done > 0) {
            Instant end = job.finishedAt() == null ? Instant.now() : job.finishedAt();
            double seconds = Math.max(Duration.between(job.startedAt(), end).toMillis(), 1) / 1000.0;
            rate = Math.round(done / seconds * 10) / 10.0;
            if (!job.status().terminal() && rate > 0) {
                eta = Math.round(job.pendingItems() / rate);
            }
        }
        return new JobView(job.id(), "job", job.type(), job.status().wireName(),
                new Counts(job.totalItems(), job.succeededItems(), job.failedItems(), job.cancelledItems(),
                        job.pendingItems()),
                rate, eta, job.createdAt(), job.startedAt(), job.finishedAt(), job.expiresAt());
    }
}
