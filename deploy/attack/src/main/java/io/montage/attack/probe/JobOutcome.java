package io.montage.attack.probe;

/**
 * What an accepted job submission must come to: status {@code succeeded} (every item processed, bad ones as item
 * errors: a job that fails means a task was retried to death on a deterministic error), and, where given, exactly
 * this many succeeded and failed items.
 */
public record JobOutcome(Integer succeeded, Integer failed) {

    public static final JobOutcome FINISHES = new JobOutcome(null, null);

    public static JobOutcome items(int succeeded, int failed) {
        return new JobOutcome(succeeded, failed);
    }
}
