package io.montage.jobs;

import io.montage.db.Database;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;

/**
 * The X-Request-Id a job was submitted with ({@code jobs.request_id}, ADR 0026), for the worker's log lines of its
 * tasks. Read apart from the claim, which stays as the queue has it: one primary-key read per task run, in the
 * tenant's transaction (a task holds up to montage.queue.items-per-task items, so it is small beside the work).
 */
@Singleton
public class JobRequestIds {

    private final Database database;

    public JobRequestIds(Database database) {
        this.database = database;
    }

    /** The request id of {@code task}'s job; null for platform work and for jobs submitted without one. */
    public String of(ClaimedTask task) {
        if (task.tenantId() == null) {
            return null;
        }
        return database.inTenant(task.tenantId(), c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT request_id FROM jobs WHERE id = ?")) {
                select.setObject(1, task.jobId());
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? row.getString(1) : null;
                }
            }
        });
    }
}
