package io.montage.jobs;

import java.util.List;

/** A job to enqueue: its type (the task handler that runs it), priority, parameters (JSON) and items. */
public record NewJob(String type, int priority, String paramsJson, List<NewItem> items) {
}
