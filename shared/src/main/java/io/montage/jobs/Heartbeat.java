package io.montage.jobs;

/** The answer to a lease extension. */
public enum Heartbeat {
    /** The lease now runs for another lease duration. */
    EXTENDED,
    /** The job was cancelled: stop and {@link JobIntake#abandon} the task. */
    CANCEL_REQUESTED,
    /** The lease is gone (expired and reclaimed, or the task finished): drop the work, write nothing. */
    LOST
}
