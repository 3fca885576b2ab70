package io.montage.worker.tasks;

import io.montage.db.SqlFailures;
import io.montage.errors.MontageException;

import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;

/**
 * How a failed attempt is recorded: a code and a message that tenants read on their items (never a class name, an
 * SQL message or a stack detail: those go to the worker log under the task id the message names), and whether
 * another attempt can help.
 * <ul>
 *   <li>Not retried: a {@link NonRetryableTaskException}, a {@link MontageException} with a 4xx status (the
 *       request cannot work as it is), a value the database refuses (SQLState class 22 or 23), and an error nobody
 *       classified (a bug: five attempts would only fail five times).</li>
 *   <li>Retried with backoff: a {@link TransientTaskException} (model not loaded), a MontageException with a 5xx
 *       status, a lost connection, serialization failure, deadlock, operator intervention or timeout.</li>
 * </ul>
 */
public record TaskFailure(String code, String message, boolean retryable) {

    /** What {@code failure}, thrown by an attempt at task {@code taskId}, means for the task. */
    public static TaskFailure of(Throwable failure, long taskId) {
        for (Throwable e = failure; e != null; e = e.getCause()) {
            switch (e) {
                case NonRetryableTaskException rejected -> {
                    return new TaskFailure(rejected.code(), rejected.getMessage(), false);
                }
                case MontageException refused -> {
                    return new TaskFailure(refused.code(), refused.getMessage(), refused.status() >= 500);
                }
                case TransientTaskException passing -> {
                    return temporary(taskId);
                }
                default -> {
                }
            }
        }
        var refusedData = SqlFailures.refusedData(failure);
        if (refusedData.isPresent()) {
            return new TaskFailure(refusedData.get().code(), refusedData.get().message(), false);
        }
        if (SqlFailures.isTransient(failure) || timedOut(failure)) {
            return temporary(taskId);
        }
        return new TaskFailure("internal_error", "the worker failed on this task because of an internal error; "
                + "operators can look it up as task " + taskId, false);
    }

    private static TaskFailure temporary(long taskId) {
        return new TaskFailure("temporarily_unavailable", "a temporary failure (database or model not available) "
                + "interrupted task " + taskId, true);
    }

    private static boolean timedOut(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause()) {
            if (e instanceof TimeoutException || e instanceof SocketTimeoutException
                    || e instanceof HttpTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
