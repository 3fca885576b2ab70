package io.montage.jobs;

import java.time.Instant;
import java.util.UUID;

/**
 * Everything about a job but its items.
 *
 * @param idempotencyKey the caller's Idempotency-Key, or null
 * @param requestId      the submitting request's X-Request-Id (checked by the api), or null: the job's tasks carry it
 *                       to the worker's log lines
 * @param expiresAt      when the job's inputs and results may be deleted (null: after the queue's default
 *                       retention, montage.queue.retention; no job is kept for ever)
 */
public record JobSpec(String type, int priority, String paramsJson, UUID modelId, String idempotencyKey,
                      Instant expiresAt, String requestId) {

    /** A job of no request (platform work, tests). */
    public JobSpec(String type, int priority, String paramsJson, UUID modelId, String idempotencyKey,
                   Instant expiresAt) {
        this(type, priority, paramsJson, modelId, idempotencyKey, expiresAt, null);
    }
}
