package io.montage.jobs;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A task a worker holds. {@code leaseToken} is fresh per claim: every later call about this task presents it, so a
 * worker that lost its lease (expired, reclaimed elsewhere) cannot finish or extend it. {@code tenantId} is null for
 * platform work (e.g. validating a model bundle); {@code modelId} is null when the task needs no particular model.
 * {@code requestId} is the X-Request-Id its job was submitted with (ADR 0026), for the worker's log lines; null for
 * platform work and jobs submitted without one. {@code items} are its pending items when they came with the claim,
 * else null: {@link TaskLeases#items} hands out either.
 */
public record ClaimedTask(long id, UUID jobId, UUID tenantId, String type, int priority, UUID modelId,
                          String paramsJson, int attempt, int maxAttempts, UUID leaseToken, Instant leaseExpiresAt,
                          int crashes, String requestId, List<TaskItem> items) {

    /**
     * A worker died running it (its lease expired {@code crashes} times): it runs alone on its worker, so that a
     * crash while it runs is its own and not its neighbours' (the queue splits a task that keeps crashing).
     */
    public boolean suspect() {
        return crashes > 0;
    }

    /** A caller is waiting for it (a synchronous request): it is served before bulk work everywhere. */
    public boolean interactive() {
        return Priority.isInteractive(priority);
    }
}
