package io.montage.jobs;

/** One input of a job: the caller's id for it (optional) and the input as JSON text. */
public record NewItem(String customId, String inputJson) {
}
