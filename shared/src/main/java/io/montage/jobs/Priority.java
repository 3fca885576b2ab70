package io.montage.jobs;

/** Task priorities: higher is claimed first, so a waiting caller never queues behind a bulk job. */
public final class Priority {
    /** A synchronous API request whose caller is waiting. */
    public static final int INTERACTIVE = 100;
    /** Bulk work. */
    public static final int BULK = 0;

    private Priority() {
    }
}
