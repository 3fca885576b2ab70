package io.montage.worker.tasks;

/**
 * Thrown by a {@link TaskHandler} (or anything it calls) when the attempt failed for a reason that passes by itself:
 * the model it needs is not loaded on this worker (yet, or any more). The queue retries the task with backoff,
 * possibly on another worker. Unchecked, so that it can travel through futures and model code unchanged.
 */
public class TransientTaskException extends RuntimeException {

    public TransientTaskException(String message) {
        super(message);
    }
}
