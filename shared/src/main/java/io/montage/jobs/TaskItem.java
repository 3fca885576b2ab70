package io.montage.jobs;

/** An item as a worker sees it: its position in the job, the caller's id, the input JSON and its bytes (or null). */
public record TaskItem(int seq, String customId, String inputJson, byte[] inputBytes) {
}
