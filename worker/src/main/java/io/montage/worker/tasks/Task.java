package io.montage.worker.tasks;

import io.montage.jobs.ClaimedTask;
import io.montage.jobs.ItemOutcome;

import java.util.function.Function;

/**
 * A claimed task as its handler sees it: the queue's task and its parameters, read through the handler's
 * {@link io.montage.jobs.contracts.JobContract}. Results are written through the same contract, so a handler can
 * only return the results its contract names.
 *
 * @param <P> the job's parameters
 * @param <R> one item's result
 */
public final class Task<P, R> {

    private final ClaimedTask claimed;
    private final P params;
    private final Function<R, String> results;

    public Task(ClaimedTask claimed, P params, Function<R, String> results) {
        this.claimed = claimed;
        this.params = params;
        this.results = results;
    }

    public ClaimedTask claimed() {
        return claimed;
    }

    /** The job's parameters; null when the job stored JSON null. */
    public P params() {
        return params;
    }

    /** Item {@code seq} succeeded with {@code result}. */
    public ItemOutcome succeeded(int seq, R result) {
        return ItemOutcome.succeeded(seq, results.apply(result));
    }
}
