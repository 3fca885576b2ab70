package io.montage.jobs;

/** Task priorities: higher is claimed first, so a waiting caller never queues behind a bulk job. */
public final class Priority {
    /** A synchronous API request whose caller is waiting. */
    public static final int INTERACTIVE = 100;
    /** Bulk work. */
    public static final int BULK = 0;
    /** Below every priority a task can have (the column is a smallint): claims any task. */
    public static final int ANY = Short.MIN_VALUE;

    private Priority() {
    }

    /** Whether work of this priority is interactive: served first by the worker's slots, batcher and decoders. */
    public static boolean isInteractive(int priority) {
        return priority >= INTERACTIVE;
    }
}
