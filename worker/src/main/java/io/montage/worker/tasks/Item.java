package io.montage.worker.tasks;

/**
 * An item of a claimed task, its input read through the handler's contract: its position in the job, the caller's
 * id for it and the input (null when the item stored JSON null).
 */
public record Item<I>(int seq, String customId, I input) {
}
