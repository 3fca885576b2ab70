package io.montage.jobs;

import java.time.Instant;
import java.util.UUID;

/**
 * A task a worker holds. {@code leaseToken} is fresh per claim: every later call about this task presents it, so a
 * worker that lost its lease (expired, reclaimed elsewhere) cannot finish or extend it.
 */
public record ClaimedTask(long id, UUID jobId, UUID tenantId, String type, String paramsJson, int attempt,
                          int maxAttempts, UUID leaseToken, Instant leaseExpiresAt) {
}
