package io.montage.jobs;

/** PostgreSQL NOTIFY channels of the queue. Notifications only wake listeners; the tables stay the truth. */
public final class QueueChannels {
    /** Payload: the task type. Sent when tasks become claimable. */
    public static final String TASKS = "montage_tasks";
    /** Payload: the job id. Sent when a task of the job finishes (the job's counts or status moved). */
    public static final String JOBS = "montage_jobs";

    private QueueChannels() {
    }
}
