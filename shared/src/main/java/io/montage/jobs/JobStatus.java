package io.montage.jobs;

import java.util.Locale;

/**
 * A job's life: queued → running → succeeded | failed, or cancelled from queued or running. {@code succeeded} means
 * every item was processed (items can still carry their own errors); {@code failed} means some task gave up after
 * its last attempt.
 */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobStatus fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
