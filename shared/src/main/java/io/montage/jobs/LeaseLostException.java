package io.montage.jobs;

/** The worker no longer holds the task's lease; whatever it computed is discarded. */
public class LeaseLostException extends RuntimeException {
    public LeaseLostException(long taskId) {
        super("lease on task " + taskId + " is no longer held");
    }
}
