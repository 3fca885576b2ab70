package io.montage.jobs;

import java.util.List;
import java.util.UUID;

/**
 * A job to enqueue: its type (the task handler that runs it), priority, parameters (JSON), the model its tasks need
 * (null when any worker serving the type may run them) and its items.
 */
public record NewJob(String type, int priority, String paramsJson, UUID modelId, List<NewItem> items) {

    /** A job that needs no particular model. */
    public NewJob(String type, int priority, String paramsJson, List<NewItem> items) {
        this(type, priority, paramsJson, null, items);
    }
}
