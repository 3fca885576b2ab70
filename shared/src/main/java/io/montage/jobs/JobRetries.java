package io.montage.jobs;

import io.montage.db.Database;
import io.montage.db.SqlParams;
import io.montage.errors.MontageException;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * Gives a finished job's items that failed for the platform's reasons another run ({@code POST /v1/jobs/{id}/retry}):
 * a crash loop or an outage that outlasted every retry must not force a tenant to resubmit a million-item job.
 * Items that failed for their own input (a corrupt image, a text too long) would fail the same way again and stay
 * as they are. The retried items go back to pending in new tasks of the same job, in one transaction: the job is
 * running again until they end, and its counts, results and errors move as for any task.
 */
@Singleton
public class JobRetries {

    /**
     * The item errors a new run can clear: the worker died with it ({@code worker_crashed}), a passing failure
     * outlasted every attempt ({@code task_failed}), the worker gave no answer ({@code no_result}) or failed
     * unexpectedly ({@code internal_error}).
     */
    public static final List<String> RETRYABLE_CODES = List.of("worker_crashed", "task_failed", "no_result",
            "internal_error");

    /**
     * The job back in the queue, its retryable failed items pending again in fresh tasks of {@code itemsPerTask}.
     * Parameters: job id, the retryable codes, max attempts, items per task (twice).
     */
    private static final String RETRY = """
            WITH failed AS (
                SELECT seq, (row_number() OVER (ORDER BY seq) - 1) / ?::int AS chunk
                  FROM items WHERE job_id = ? AND status = 'failed' AND error_code = ANY(?)
            ), task AS (
                INSERT INTO tasks (job_id, tenant_id, type, priority, max_attempts, model_id)
                SELECT j.id, j.tenant_id, j.type, j.priority, ?, j.model_id
                  FROM jobs j CROSS JOIN generate_series(1, (SELECT max(chunk) + 1 FROM failed)::int)
                 WHERE j.id = ?
                RETURNING id
            ), numbered AS (
                SELECT id, row_number() OVER (ORDER BY id) - 1 AS chunk FROM task
            ), item AS (
                UPDATE items i SET status = 'pending', task_id = numbered.id, error_code = NULL, error_message = NULL,
                       result = NULL, finished_at = NULL
                  FROM failed JOIN numbered USING (chunk)
                 WHERE i.job_id = ? AND i.seq = failed.seq
                RETURNING 1
            )
            UPDATE jobs SET status = 'queued', finished_at = NULL, dead_tasks = 0,
                   failed_items = failed_items - (SELECT count(*) FROM item),
                   total_tasks = total_tasks + (SELECT count(*) FROM task)
             WHERE id = ?
            RETURNING (SELECT count(*) FROM item)
            """;

    private final Database database;
    private final QueueConfig config;

    public JobRetries(Database database, QueueConfig config) {
        this.database = database;
        this.config = config;
    }

    /**
     * Re-queues the finished job's retryable failed items; every worker serving its type hears of it at commit.
     *
     * @return the job as it is now (queued again)
     * @throws MontageException 404 {@code job_not_found}; 409 {@code job_not_finished} while it runs,
     *                          {@code job_cancelled} for a cancelled job, {@code nothing_to_retry} when no item
     *                          failed for a reason a new run can clear
     */
    public Job retryFailed(UUID tenantId, UUID jobId) {
        return database.inTenant(tenantId, c -> {
            Job job = lockedJob(c, jobId);
            switch (job.status()) {
                case QUEUED, RUNNING -> throw MontageException.conflict("job_not_finished", "job " + jobId
                        + " is still " + job.status().wireName() + "; retry its failed items once it has finished");
                case CANCELLED -> throw MontageException.conflict("job_cancelled", "job " + jobId
                        + " was cancelled; submit its items again as a new job");
                default -> {
                }
            }
            int retried;
            try (PreparedStatement retry = c.prepareStatement(RETRY)) {
                SqlParams.of(c, retry).add(config.itemsPerTask()).add(jobId).array("text", RETRYABLE_CODES.toArray(String[]::new))
                        .add(config.maxAttempts()).add(jobId).add(jobId).add(jobId);
                try (ResultSet rs = retry.executeQuery()) {
                    rs.next();
                    retried = rs.getInt(1);
                }
            }
            if (retried == 0) {
                throw MontageException.conflict("nothing_to_retry", "no item of job " + jobId + " failed for a "
                        + "reason a new run can clear (" + String.join(", ", RETRYABLE_CODES) + "); items that "
                        + "failed for their input fail the same way again: fix them and submit a new job");
            }
            QueueChannels.notify(c, QueueChannels.TASKS, job.type());
            return Jobs.find(c, jobId).orElseThrow();
        });
    }

    private static Job lockedJob(Connection c, UUID jobId) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT 1 FROM jobs WHERE id = ? FOR UPDATE")) {
            lock.setObject(1, jobId);
            try (ResultSet rs = lock.executeQuery()) {
                if (!rs.next()) {
                    throw Jobs.notFound(jobId);
                }
            }
        }
        return Jobs.find(c, jobId).orElseThrow();
    }
}
