package io.montage.api.jobs;

import io.micronaut.serde.annotation.Serdeable;
import io.montage.jobs.Job;

import java.time.Instant;
import java.util.UUID;

/** A job on the wire. */
@Serdeable
public record JobView(UUID id, String object, String type, String status, Counts counts, Instant createdAt,
                      Instant startedAt, Instant finishedAt) {

    @Serdeable
    public record Counts(int total, int succeeded, int failed, int cancelled, int pending) {
    }

    public static JobView of(Job job) {
        return new JobView(job.id(), "job", job.type(), job.status().wireName(),
                new Counts(job.totalItems(), job.succeededItems(), job.failedItems(), job.cancelledItems(),
                        job.pendingItems()),
                job.createdAt(), job.startedAt(), job.finishedAt());
    }
}
