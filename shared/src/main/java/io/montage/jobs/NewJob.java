package io.montage.jobs;

import java.util.List;
import java.util.UUID;

/**
 * A job to enqueue with its items in memory: its type (the task handler that runs it), priority, parameters (JSON),
 * the model its tasks need (null when any worker serving the type may run them) and its items. Large jobs stream
 * their items instead: {@link JobQueue#enqueue(java.sql.Connection, UUID, JobSpec, java.util.Iterator)}.
 */
public record NewJob(String type, int priority, String paramsJson, UUID modelId, List<NewItem> items) {

    /** A job that needs no particular model. */
    public NewJob(String type, int priority, String paramsJson, List<NewItem> items) {
        this(type, priority, paramsJson, null, items);
    }

    public JobSpec spec() {
        return new JobSpec(type, priority, paramsJson, modelId, null, null);
    }
}
