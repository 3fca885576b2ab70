package io.montage.jobs;

import io.montage.db.Database;
import io.montage.errors.MontageException;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

import static io.montage.jobs.TaskTransition.CANCEL;

/**
 * The submitting side of the job queue in PostgreSQL (the api, the console, platform work): jobs are enqueued inside
 * the producer's own transaction, and a tenant's job is cancelled. Workers take the tasks through {@link TaskLeases}.
 */
@Singleton
public class JobIntake {

    /** Rows per items INSERT: large enough to amortise round trips, small enough for a modest statement. */
    private static final int ITEM_INSERT_BATCH = 5000;
    /** Input bytes per items INSERT, at task boundaries: 5,000 camera photos would be 680 MB held at once. */
    private static final long ITEM_INSERT_BYTES = 64L << 20;

    private final Database database;
    private final QueueConfig config;

    public JobIntake(Database database, QueueConfig config) {
        this.database = database;
        this.config = config;
    }

    /** Enqueues in its own tenant transaction. */
    public Job submit(UUID tenantId, NewJob job) {
        return database.inTenant(tenantId, c -> enqueue(c, tenantId, job));
    }

    /**
     * Enqueues inside the caller's tenant transaction: the job exists if and only if that transaction commits,
     * and workers are woken at commit (NOTIFY is transactional).
     */
    public Job enqueue(Connection c, UUID tenantId, NewJob job) throws SQLException {
        return enqueue(c, tenantId, job.spec(), job.items().iterator());
    }

    /**
     * Enqueues a job whose items are streamed (an uploaded file of any size): they are written in batches as they
     * come, one task per {@code items-per-task}, never all held in memory. Items already rejected are stored
     * failed and counted at once. Still one transaction: a half-read upload leaves no job behind.
     */
    public Job enqueue(Connection c, UUID tenantId, JobSpec spec, Iterator<NewItem> items) throws SQLException {
        if (spec.type() == null || spec.type().isBlank()) {
            throw MontageException.invalid("invalid_job_type", "a job needs a type");
        }
        UUID jobId = insertJob(c, tenantId, spec);
        int perTask = config.itemsPerTask();
        int batchSize = perTask * Math.max(1, ITEM_INSERT_BATCH / perTask); // whole tasks per batch
        List<NewItem> batch = new ArrayList<>(batchSize);
        int total = 0;
        int tasks = 0;
        int rejected = 0;
        long batchBytes = 0;
        while (items.hasNext()) {
            NewItem item = items.next();
            rejected += item.rejected() ? 1 : 0;
            batch.add(item);
            batchBytes += item.inputJson().length() + (item.inputBytes() == null ? 0 : item.inputBytes().length);
            boolean heavy = batchBytes >= ITEM_INSERT_BYTES && batch.size() % perTask == 0;
            if (batch.size() == batchSize || heavy || !items.hasNext()) {
                List<Long> taskIds = insertTasks(c, tenantId, jobId, spec, (batch.size() + perTask - 1) / perTask);
                insertItems(c, tenantId, jobId, total, batch, taskIds, perTask);
                total += batch.size();
                tasks += taskIds.size();
                batch.clear();
                batchBytes = 0;
            }
        }
        if (total == 0) {
            throw MontageException.invalid("empty_job", "a job needs at least one item");
        }
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE jobs SET total_items = ?, total_tasks = ?, failed_items = ? WHERE id = ?")) {
            update.setInt(1, total);
            update.setInt(2, tasks);
            update.setInt(3, rejected);
            update.setObject(4, jobId);
            update.executeUpdate();
        }
        QueueChannels.notify(c, QueueChannels.TASKS, spec.type());
        return Jobs.find(c, jobId).orElseThrow();
    }

    /** Enqueues platform work that belongs to no tenant (only the system role sees it). */
    public Job enqueueForPlatform(Connection c, NewJob job) throws SQLException {
        return enqueue(c, null, job);
    }

    /** Inserts the job row; a job that states no expiry gets the queue's default retention. */
    private UUID insertJob(Connection c, UUID tenantId, JobSpec spec) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO jobs (tenant_id, type, priority, params, total_items, total_tasks, model_id, "
                        + "idempotency_key, expires_at) VALUES (?, ?, ?, ?::jsonb, 0, 0, ?, ?, "
                        + "coalesce(?, now() + make_interval(secs => ?))) RETURNING id")) {
            insert.setObject(1, tenantId);
            insert.setString(2, spec.type());
            insert.setInt(3, spec.priority());
            insert.setString(4, spec.paramsJson() == null ? "{}" : spec.paramsJson());
            insert.setObject(5, spec.modelId());
            insert.setString(6, spec.idempotencyKey());
            insert.setTimestamp(7, spec.expiresAt() == null ? null : java.sql.Timestamp.from(spec.expiresAt()));
            insert.setDouble(8, config.retention().toMillis() / 1000.0);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return rs.getObject(1, UUID.class);
            }
        }
    }

    private List<Long> insertTasks(Connection c, UUID tenantId, UUID jobId, JobSpec spec, int count)
            throws SQLException {
        List<Long> taskIds = new ArrayList<>(count);
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO tasks (job_id, tenant_id, type, priority, max_attempts, model_id) "
                        + "SELECT ?, ?, ?, ?, ?, ? FROM generate_series(1, ?) RETURNING id")) {
            insert.setObject(1, jobId);
            insert.setObject(2, tenantId);
            insert.setString(3, spec.type());
            insert.setInt(4, spec.priority());
            insert.setInt(5, config.maxAttempts());
            insert.setObject(6, spec.modelId());
            insert.setInt(7, count);
            try (ResultSet rs = insert.executeQuery()) {
                while (rs.next()) {
                    taskIds.add(rs.getLong(1));
                }
            }
        }
        taskIds.sort(null); // identity values follow insertion order: the i-th task carries the i-th chunk
        return taskIds;
    }

    /** Items {@code firstSeq…} of the job, {@code perTask} to a task. */
    private static void insertItems(Connection c, UUID tenantId, UUID jobId, int firstSeq, List<NewItem> items,
                                    List<Long> taskIds, int perTask) throws SQLException {
        int n = items.size();
        Integer[] seqs = new Integer[n];
        Long[] tasks = new Long[n];
        String[] customIds = new String[n];
        String[] inputs = new String[n];
        byte[][] bytes = new byte[n][];
        String[] statuses = new String[n];
        String[] codes = new String[n];
        String[] messages = new String[n];
        for (int i = 0; i < n; i++) {
            NewItem item = items.get(i);
            seqs[i] = firstSeq + i;
            tasks[i] = taskIds.get(i / perTask);
            customIds[i] = item.customId();
            inputs[i] = item.inputJson();
            bytes[i] = item.inputBytes();
            statuses[i] = item.rejected() ? "failed" : "pending";
            codes[i] = item.errorCode();
            messages[i] = item.errorMessage();
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO items (job_id, tenant_id, seq, task_id, custom_id, input, input_bytes, status, "
                        + "error_code, error_message, finished_at) "
                        + "SELECT ?, ?, x.seq, x.task_id, x.custom_id, x.input::json, x.bytes, x.status, x.code, "
                        + "x.message, CASE WHEN x.status = 'failed' THEN now() END "
                        + "FROM unnest(?::int[], ?::bigint[], ?::text[], ?::text[], ?::bytea[], ?::text[], ?::text[], "
                        + "?::text[]) AS x(seq, task_id, custom_id, input, bytes, status, code, message)")) {
            insert.setObject(1, jobId);
            insert.setObject(2, tenantId);
            insert.setArray(3, c.createArrayOf("int4", seqs));
            insert.setArray(4, c.createArrayOf("int8", tasks));
            insert.setArray(5, c.createArrayOf("text", customIds));
            insert.setArray(6, c.createArrayOf("text", inputs));
            insert.setObject(7, bytes); // byte[][]: pgjdbc sends a bytea[] in binary, never as text
            insert.setArray(8, c.createArrayOf("text", statuses));
            insert.setArray(9, c.createArrayOf("text", codes));
            insert.setArray(10, c.createArrayOf("text", messages));
            insert.executeUpdate();
        }
    }

    /** Cancels a tenant's job: waiting tasks never run, running ones stop at their next heartbeat, finished
     * items keep their results. */
    public Job cancel(UUID tenantId, UUID jobId) {
        return database.inTenant(tenantId, c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE jobs SET status = 'cancelled', finished_at = now() "
                            + "WHERE id = ? AND status IN ('queued', 'running')")) {
                update.setObject(1, jobId);
                if (update.executeUpdate() == 0) {
                    Job job = Jobs.find(c, jobId).orElseThrow(() -> Jobs.notFound(jobId));
                    throw MontageException.conflict("job_not_cancellable",
                            "job " + jobId + " is already " + job.status().wireName());
                }
            }
            List<Long> stopped = new ArrayList<>();
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE tasks SET status = ?, finished_at = now() WHERE job_id = ? AND status = ANY(?) RETURNING id")) {
                update.setString(1, CANCEL.to().wireName());
                update.setObject(2, jobId);
                update.setArray(3, c.createArrayOf("text", CANCEL.fromWireNames()));
                try (ResultSet rs = update.executeQuery()) {
                    while (rs.next()) {
                        stopped.add(rs.getLong(1));
                    }
                }
            }
            int cancelledItems = 0;
            for (long taskId : stopped) {
                cancelledItems += JobCounters.closePendingItems(c, taskId, "cancelled", null, null);
            }
            JobCounters.tasksFinished(c, jobId, stopped.size(), 0, ItemCounts.cancelled(cancelledItems));
            return Jobs.find(c, jobId).orElseThrow();
        });
    }
}
