package io.montage.jobs;

import io.montage.db.Database;
import io.montage.db.Durability;
import io.montage.db.Lead;
import jakarta.inject.Singleton;

/**
 * The X-Request-Id a job was submitted with ({@code jobs.request_id}, ADR 0026), for the worker's log lines of its
 * tasks. Read apart from the claim, which stays as the queue has it: one primary-key read per task run, inside the
 * tenant (a task holds up to montage.queue.items-per-task items, so it is small beside the work).
 */
@Singleton
public class JobRequestIds {

    private final Database database;

    public JobRequestIds(Database database) {
        this.database = database;
    }

    /**
     * The request id of {@code task}'s job; null for platform work and for jobs submitted without one. One round
     * trip (the tenant's setting travels with the statement): it runs before every task's handler, so on a
     * synchronous request's path; as a transaction of its own it was three (BEGIN and the setting, the read, COMMIT).
     */
    public String of(ClaimedTask task) {
        if (task.tenantId() == null) {
            return null;
        }
        return database.inTenant(task.tenantId(), Durability.FULL, new Lead<>(
                "SELECT request_id FROM jobs WHERE id = ?", params -> params.add(task.jobId()),
                row -> row.next() ? row.getString(1) : null));
    }
}
