package io.montage.jobs;

/** An item with its outcome, as a tenant reads it back. */
public record JobItem(int seq, String customId, String status, String resultJson, String errorCode,
                      String errorMessage) {
}
