package io.montage.worker.tasks;

import io.montage.jobs.ItemOutcome;
import io.montage.jobs.contracts.JobContract;

import java.util.List;

/**
 * Runs the tasks of one job type: the type whose {@link JobContract} it declares. Its tasks' parameters and items
 * reach it read through that contract (an item whose input does not read fails alone as {@code invalid_input}), and
 * its results are written through it ({@link Task#succeeded}). Every bean implementing this is served by the worker
 * (unless montage.worker.types narrows the list), and its type is advertised in the worker's capabilities.
 *
 * <p>How {@link #run} ends decides what the queue records:
 * <ul>
 *   <li>returning: the task succeeded; each item gets its outcome. An item with bad input should get
 *       {@link ItemOutcome#failed} rather than fail the whole task. Items left without an outcome fail as
 *       {@code no_result}.</li>
 *   <li>throwing {@link NonRetryableTaskException}: retrying cannot help, the task fails for good with its code.</li>
 *   <li>throwing {@link TransientTaskException} (or a lost connection, a timeout): this attempt failed; the queue
 *       retries it with backoff while attempts remain.</li>
 *   <li>throwing anything else: {@link TaskFailure} decides (a 4xx MontageException or a value the database
 *       refuses fails at once with its code; an unclassified error fails at once as {@code internal_error}).</li>
 *   <li>the running thread is interrupted when the job is cancelled, the lease is lost or the worker shuts down:
 *       stop promptly (throwing {@link InterruptedException} is fine). Whatever the handler returns or throws
 *       then is discarded, because the worker has already recorded the task's end.</li>
 * </ul>
 */
public interface TaskHandler<P, I, R> {

    /** The contract of the job type this handler runs. */
    JobContract<P, I, R> contract();

    /** Processes {@code items}, the task's items still waiting for an outcome, in order. */
    List<ItemOutcome> run(Task<P, R> task, List<Item<I>> items) throws Exception;
}
