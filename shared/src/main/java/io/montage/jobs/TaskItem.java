package io.montage.jobs;

/** An item as a worker sees it: its position in the job, the caller's id and the input JSON. */
public record TaskItem(int seq, String customId, String inputJson) {
}
