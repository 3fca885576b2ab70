package io.montage.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A job to enqueue with its items in memory: its type (the task handler that runs it), priority, parameters (JSON),
 * the model its tasks need (null when any worker serving the type may run them), how long it is kept (null: the
 * queue's montage.queue.retention) and its items. Large jobs stream their items instead:
 * {@link JobIntake#enqueue(java.sql.Connection, UUID, JobSpec, java.util.Iterator)}.
 */
public record NewJob(String type, int priority, String paramsJson, UUID modelId, Duration retention,
                     List<NewItem> items, String requestId) {

    /** A job of no request. */
    public NewJob(String type, int priority, String paramsJson, UUID modelId, Duration retention,
                  List<NewItem> items) {
        this(type, priority, paramsJson, modelId, retention, items, null);
    }

    /** This job, submitted by the request of id {@code id} (its X-Request-Id). */
    public NewJob withRequestId(String id) {
        return new NewJob(type, priority, paramsJson, modelId, retention, items, id);
    }

    /** A job kept for the queue's default retention. */
    public NewJob(String type, int priority, String paramsJson, UUID modelId, List<NewItem> items) {
        this(type, priority, paramsJson, modelId, null, items);
    }

    /** A job that needs no particular model, kept for the queue's default retention. */
    public NewJob(String type, int priority, String paramsJson, List<NewItem> items) {
        this(type, priority, paramsJson, null, null, items);
    }

    public JobSpec spec() {
        return new JobSpec(type, priority, paramsJson, modelId, null,
                retention == null ? null : Instant.now().plus(retention), requestId);
    }
}
