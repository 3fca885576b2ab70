package io.montage.worker.tasks;

/**
 * Thrown by a {@link TaskHandler} when another attempt cannot succeed (the job's parameters are invalid, say):
 * the task fails at once and its items fail with this message, which tenants see.
 */
public class NonRetryableTaskException extends Exception {

    public NonRetryableTaskException(String message) {
        super(message);
    }
}
