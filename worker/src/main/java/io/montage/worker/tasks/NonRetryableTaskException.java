package io.montage.worker.tasks;

/**
 * Thrown by a {@link TaskHandler} when another attempt cannot succeed (the job's parameters are invalid, say):
 * the task fails at once and its items fail with this code and message, which tenants see.
 */
public class NonRetryableTaskException extends Exception {

    private final String code;

    public NonRetryableTaskException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
