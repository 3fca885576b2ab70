package io.montage.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** PostgreSQL NOTIFY channels of the queue. Notifications only wake listeners; the tables stay the truth. */
public final class QueueChannels {
    /** Payload: a {@link TaskAnnouncement} (priority, model, type). Sent when tasks become claimable. */
    public static final String TASKS = "montage_tasks";
    /**
     * Payload: the job id. Sent when a task of an interactive job finishes (the job's counts or status moved): only
     * those have waiters ({@link JobWaiter} via {@link InteractiveJobs}); see {@link JobCounters#WAKE_WAITERS}.
     */
    public static final String JOBS = "montage_jobs";

    private QueueChannels() {
    }

    /** Sends {@code payload} on {@code channel} when {@code c}'s transaction commits (NOTIFY is transactional). */
    static void notify(Connection c, String channel, String payload) throws SQLException {
        try (PreparedStatement notify = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, channel);
            notify.setString(2, payload);
            notify.execute();
        }
    }
}
