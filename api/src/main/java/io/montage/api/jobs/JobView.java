package io.montage.api.jobs;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.montage.jobs.Job;
import io.montage.jobs.JobProgress;

import java.time.Instant;
import java.util.UUID;

/**
 * A job on the wire, with live progress ({@link JobProgress}): items per second since it started and, while it
 * runs, the seconds left at that pace.
 */
@Serdeable
public record JobView(UUID id, String object, String type, String status, Counts counts,
                      @Nullable Double itemsPerSecond, @Nullable Long etaSeconds, Instant createdAt,
                      @Nullable Instant startedAt, @Nullable Instant finishedAt, @Nullable Instant expiresAt) {

    @Serdeable
    public record Counts(int total, int succeeded, int failed, int cancelled, int pending) {
    }

    public static JobView of(Job job) {
        JobProgress progress = JobProgress.of(job);
        return new JobView(job.id(), "job", job.type(), job.status().wireName(),
                new Counts(job.totalItems(), job.succeededItems(), job.failedItems(), job.cancelledItems(),
                        job.pendingItems()),
                progress.itemsPerSecond(), progress.etaSeconds(), job.createdAt(), job.startedAt(), job.finishedAt(),
                job.expiresAt());
    }
}
