package io.montage.jobs;

/**
 * Items that reached an end state in one step, added to the job's counts in the same transaction; the queue also
 * returns them to the worker that finished the task (for the throughput it reports).
 */
public record ItemCounts(int succeeded, int failed, int cancelled) {

    static ItemCounts failed(int n) {
        return new ItemCounts(0, n, 0);
    }

    static ItemCounts cancelled(int n) {
        return new ItemCounts(0, 0, n);
    }

    public static final ItemCounts NONE = new ItemCounts(0, 0, 0);

    public ItemCounts plus(ItemCounts other) {
        return new ItemCounts(succeeded + other.succeeded, failed + other.failed, cancelled + other.cancelled);
    }
}
