package io.montage.jobs;

import java.util.EnumSet;
import java.util.Set;

import static io.montage.jobs.TaskStatus.CANCELLED;
import static io.montage.jobs.TaskStatus.DEAD;
import static io.montage.jobs.TaskStatus.QUEUED;
import static io.montage.jobs.TaskStatus.RETRYING;
import static io.montage.jobs.TaskStatus.RUNNING;
import static io.montage.jobs.TaskStatus.SUCCEEDED;

/**
 * The task state machine: every status change the queue makes is one of these, and the SQL that makes it
 * only matches rows in a {@code from} status, so a racing writer can never apply an illegal move.
 */
public enum TaskTransition {
    /** A worker takes the task under a lease. */
    CLAIM(EnumSet.of(QUEUED, RETRYING), RUNNING),
    /** The worker finished it; each item has its result or its own error. */
    SUCCEED(EnumSet.of(RUNNING), SUCCEEDED),
    /** An attempt failed (or its lease expired) and attempts remain: back off, then claimable again. */
    RETRY(EnumSet.of(RUNNING), RETRYING),
    /** An attempt failed and none remain: terminal, its items fail with the reason. */
    BURY(EnumSet.of(RUNNING), DEAD),
    /** A worker shutting down hands the task back without counting the attempt. */
    RELEASE(EnumSet.of(RUNNING), QUEUED),
    /** The job was cancelled: a task that was waiting never runs. */
    CANCEL(EnumSet.of(QUEUED, RETRYING), CANCELLED),
    /** The job was cancelled while the task ran: its worker noticed at a heartbeat and stopped. */
    ABANDON(EnumSet.of(RUNNING), CANCELLED);

    private final Set<TaskStatus> from;
    private final TaskStatus to;

    TaskTransition(Set<TaskStatus> from, TaskStatus to) {
        this.from = from;
        this.to = to;
    }

    public Set<TaskStatus> from() {
        return from;
    }

    public TaskStatus to() {
        return to;
    }

    /** The {@code from} statuses as wire names, for {@code status = ANY(?)}. */
    String[] fromWireNames() {
        return from.stream().map(TaskStatus::wireName).toArray(String[]::new);
    }
}
