package io.montage.jobs;

import java.util.Locale;

/** Where a task stands; {@link TaskTransition} lists every legal move between these. */
public enum TaskStatus {
    QUEUED, RUNNING, SUCCEEDED, RETRYING, DEAD, CANCELLED;

    public boolean terminal() {
        return this == SUCCEEDED || this == DEAD || this == CANCELLED;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TaskStatus fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
