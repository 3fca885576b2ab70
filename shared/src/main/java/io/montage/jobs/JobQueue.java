package io.montage.jobs;

import io.montage.db.Database;
import io.montage.errors.MontageException;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

import static io.montage.jobs.TaskTransition.ABANDON;
import static io.montage.jobs.TaskTransition.BURY;
import static io.montage.jobs.TaskTransition.CANCEL;
import static io.montage.jobs.TaskTransition.RELEASE;
import static io.montage.jobs.TaskTransition.RETRY;
import static io.montage.jobs.TaskTransition.SUCCEED;

/**
 * The job queue in PostgreSQL. Producers enqueue inside their own transaction; workers claim tasks with
 * {@code FOR UPDATE SKIP LOCKED} under a lease, extend it by heartbeat and finish with one of the
 * {@link TaskTransition}s. Any node may reap expired leases: there is no coordinator.
 */
@Singleton
public class JobQueue {

    /** Rows per items INSERT: large enough to amortise round trips, small enough for a modest statement. */
    private static final int ITEM_INSERT_BATCH = 5000;

    private final Database database;
    private final QueueConfig config;
    private final RetryPolicy retryPolicy;
    private final TaskClaims claims;

    public JobQueue(Database database, QueueConfig config, RetryPolicy retryPolicy) {
        this.database = database;
        this.config = config;
        this.retryPolicy = retryPolicy;
        this.claims = new TaskClaims(config);
    }

    // ---- producers -------------------------------------------------------------------------------------------

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
        while (items.hasNext()) {
            NewItem item = items.next();
            rejected += item.rejected() ? 1 : 0;
            batch.add(item);
            if (batch.size() == batchSize || !items.hasNext()) {
                List<Long> taskIds = insertTasks(c, tenantId, jobId, spec, (batch.size() + perTask - 1) / perTask);
                insertItems(c, tenantId, jobId, total, batch, taskIds, perTask);
                total += batch.size();
                tasks += taskIds.size();
                batch.clear();
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
        notify(c, QueueChannels.TASKS, spec.type());
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
        String[] statuses = new String[n];
        String[] codes = new String[n];
        String[] messages = new String[n];
        for (int i = 0; i < n; i++) {
            NewItem item = items.get(i);
            seqs[i] = firstSeq + i;
            tasks[i] = taskIds.get(i / perTask);
            customIds[i] = item.customId();
            inputs[i] = item.inputJson();
            statuses[i] = item.rejected() ? "failed" : "pending";
            codes[i] = item.errorCode();
            messages[i] = item.errorMessage();
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO items (job_id, tenant_id, seq, task_id, custom_id, input, status, error_code, "
                        + "error_message, finished_at) "
                        + "SELECT ?, ?, x.seq, x.task_id, x.custom_id, x.input::json, x.status, x.code, x.message, "
                        + "CASE WHEN x.status = 'failed' THEN now() END "
                        + "FROM unnest(?::int[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) "
                        + "AS x(seq, task_id, custom_id, input, status, code, message)")) {
            insert.setObject(1, jobId);
            insert.setObject(2, tenantId);
            insert.setArray(3, c.createArrayOf("int4", seqs));
            insert.setArray(4, c.createArrayOf("int8", tasks));
            insert.setArray(5, c.createArrayOf("text", customIds));
            insert.setArray(6, c.createArrayOf("text", inputs));
            insert.setArray(7, c.createArrayOf("text", statuses));
            insert.setArray(8, c.createArrayOf("text", codes));
            insert.setArray(9, c.createArrayOf("text", messages));
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

    // ---- workers ---------------------------------------------------------------------------------------------

    /** Claims tasks of the given types that need no particular model. */
    public List<ClaimedTask> claim(UUID workerId, Collection<String> types, int max) {
        return claim(workerId, types, List.of(), max);
    }

    /** Claims tasks of any priority: see {@link #claim(UUID, Collection, Collection, int, int)}. */
    public List<ClaimedTask> claim(UUID workerId, Collection<String> types, Collection<UUID> modelIds, int max) {
        return claim(workerId, types, modelIds, Priority.ANY, max);
    }

    /**
     * Claims up to {@code max} claimable tasks of the given types and of priority {@code minPriority} or more, under
     * a fresh lease: tasks that need no model, and tasks for one of {@code modelIds} (the models this worker has
     * loaded). Highest priority first; within a priority, fairly across tenants ({@link TaskClaims}).
     */
    public List<ClaimedTask> claim(UUID workerId, Collection<String> types, Collection<UUID> modelIds,
                                   int minPriority, int max) {
        if (max <= 0 || types.isEmpty()) {
            return List.of();
        }
        return database.asSystem(c -> {
            if (Priority.isInteractive(minPriority)) {
                // a claim lost in a crash only hands the task back, and its completion after it is lost too
                SyncRequestCommits.relax(c);
            }
            return claims.claim(c, workerId, types, modelIds, minPriority, max);
        });
    }

    /** The items a claimed task carries that still wait for an outcome, in order. */
    public List<TaskItem> items(ClaimedTask task) {
        return database.asSystem(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT seq, custom_id, input::text FROM items WHERE task_id = ? AND status = 'pending' ORDER BY seq")) {
                select.setLong(1, task.id());
                List<TaskItem> items = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        items.add(new TaskItem(rs.getInt(1), rs.getString(2), rs.getString(3)));
                    }
                }
                return items;
            }
        });
    }

    /** Extends the lease; tells the worker when to stop. */
    public Heartbeat heartbeat(ClaimedTask task) {
        return database.asSystem(c -> {
            try (PreparedStatement extend = c.prepareStatement(
                    "UPDATE tasks t SET lease_expires_at = now() + make_interval(secs => ?) FROM jobs j "
                            + "WHERE t.id = ? AND t.lease_token = ? AND t.status = 'running' AND j.id = t.job_id "
                            + "RETURNING j.status")) {
                extend.setDouble(1, config.leaseDuration().toMillis() / 1000.0);
                extend.setLong(2, task.id());
                extend.setObject(3, task.leaseToken());
                try (ResultSet rs = extend.executeQuery()) {
                    if (!rs.next()) {
                        return Heartbeat.LOST;
                    }
                    return JobStatus.CANCELLED.wireName().equals(rs.getString(1))
                            ? Heartbeat.CANCEL_REQUESTED : Heartbeat.EXTENDED;
                }
            }
        });
    }

    /**
     * Finishes a task with one outcome per item. Items the outcomes miss fail with {@code no_result}, so a
     * finished task never leaves a pending item behind.
     *
     * @return how many of the task's items succeeded and failed
     * @throws LeaseLostException when the lease is no longer held (nothing is written)
     */
    public ItemCounts complete(ClaimedTask task, List<ItemOutcome> outcomes) {
        return database.asSystem(c -> {
            SyncRequestCommits.relaxFor(c, task);
            leave(c, task, SUCCEED, "");
            ItemCounts counts = JobCounters.recordOutcomes(c, task, outcomes);
            counts = counts.plus(ItemCounts.failed(JobCounters.closePendingItems(c, task.id(), "failed", "no_result",
                    "the worker returned no result for this item")));
            JobCounters.tasksFinished(c, task.jobId(), 1, 0, counts);
            return counts;
        });
    }

    /**
     * Records a failed attempt. A {@code retryable} failure backs off and runs again while attempts remain; when
     * they are spent, the pending items fail with {@code task_failed}. A failure no retry can fix kills the task at
     * once, and its pending items fail with {@code code}. Either way {@code error} is what tenants read: no internals.
     *
     * @return the items that ended with this attempt: none when it runs again
     * @throws LeaseLostException when the lease is no longer held
     */
    public ItemCounts fail(ClaimedTask task, String code, String error, boolean retryable) {
        return database.asSystem(c -> {
            SyncRequestCommits.relaxFor(c, task);
            try (PreparedStatement lock = c.prepareStatement(
                    "SELECT 1 FROM tasks WHERE id = ? AND lease_token = ? AND status = 'running' FOR UPDATE")) {
                lock.setLong(1, task.id());
                lock.setObject(2, task.leaseToken());
                try (ResultSet rs = lock.executeQuery()) {
                    if (!rs.next()) {
                        throw new LeaseLostException(task.id());
                    }
                }
            }
            return retryable
                    ? failAttempt(c, task.id(), task.jobId(), task.attempt(), task.maxAttempts(), error)
                    : failForGood(c, task.id(), task.jobId(), error, code, error);
        });
    }

    /** Hands a task back unfinished (graceful shutdown); the attempt does not count. */
    public void release(ClaimedTask task) {
        database.asSystem(c -> {
            leave(c, task, RELEASE, ", attempts = attempts - 1, run_after = now()");
            notify(c, QueueChannels.TASKS, task.type());
            return null;
        });
    }

    /** Stops a task whose job was cancelled; its pending items are cancelled. */
    public void abandon(ClaimedTask task) {
        database.asSystem(c -> {
            leave(c, task, ABANDON, "");
            cancelItemsOfStoppedTask(c, task.id(), task.jobId());
            return null;
        });
    }

    /** What one pass of {@link #reapExpiredLeases} took back, and the items of those tasks that ended with it. */
    public record Reaped(int tasks, ItemCounts items) {
    }

    /**
     * Takes back tasks whose lease expired (their worker died or stalled): each counts as a failed attempt.
     * Safe to run on every node at once.
     */
    public Reaped reapExpiredLeases(int limit) {
        return database.asSystem(c -> {
            record Expired(long id, UUID jobId, int attempts, int maxAttempts) {
            }
            List<Expired> expired = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT id, job_id, attempts, max_attempts FROM tasks "
                            + "WHERE status = 'running' AND lease_expires_at < now() "
                            + "ORDER BY lease_expires_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
                select.setInt(1, limit);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        expired.add(new Expired(rs.getLong(1), rs.getObject(2, UUID.class), rs.getInt(3), rs.getInt(4)));
                    }
                }
            }
            ItemCounts ended = ItemCounts.NONE;
            for (Expired task : expired) {
                ended = ended.plus(failAttempt(c, task.id(), task.jobId(), task.attempts(), task.maxAttempts(),
                        "lease expired: the worker stopped heartbeating"));
            }
            return new Reaped(expired.size(), ended);
        });
    }

    /**
     * A running task (row already locked by the caller) failed its attempt number {@code attempt}; it may run
     * again while {@code attempt < allowedAttempts}. A task of a cancelled job never runs again.
     *
     * @return the task's items that ended: none when it runs again
     */
    private ItemCounts failAttempt(Connection c, long taskId, UUID jobId, int attempt, int allowedAttempts,
                                   String error) throws SQLException {
        boolean retry = attempt < allowedAttempts;
        if (!retry) {
            return failForGood(c, taskId, jobId, error, "task_failed",
                    "gave up after " + attempt + " attempt(s): " + error);
        }
        if (jobCancelled(c, jobId)) {
            return abandon(c, taskId, jobId);
        }
        recordFailure(c, taskId, RETRY, error, retryPolicy.delayAfter(attempt).toMillis() / 1000.0);
        return ItemCounts.NONE;
    }

    /**
     * A running task (row already locked) dies now with {@code lastError}: its pending items fail with {@code code}
     * and {@code itemError}. A task of a cancelled job is abandoned instead.
     *
     * @return the task's items that ended
     */
    private static ItemCounts failForGood(Connection c, long taskId, UUID jobId, String lastError, String code,
                                          String itemError) throws SQLException {
        if (jobCancelled(c, jobId)) {
            return abandon(c, taskId, jobId);
        }
        recordFailure(c, taskId, BURY, lastError, 0);
        ItemCounts failed = ItemCounts.failed(JobCounters.closePendingItems(c, taskId, "failed", code, itemError));
        JobCounters.tasksFinished(c, jobId, 1, 1, failed);
        return failed;
    }

    /** Moves a failed running task to retrying (after {@code delaySeconds}) or dead, recording its last error. */
    private static void recordFailure(Connection c, long taskId, TaskTransition transition, String error,
                                      double delaySeconds) throws SQLException {
        boolean retry = transition == RETRY;
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE tasks SET status = ?, last_error = ?, lease_owner = NULL, lease_token = NULL, "
                        + "lease_expires_at = NULL, run_after = now() + make_interval(secs => ?), "
                        + "finished_at = CASE WHEN ? THEN NULL ELSE now() END "
                        + "WHERE id = ? AND status = ANY(?)")) {
            update.setString(1, transition.to().wireName());
            update.setString(2, error);
            update.setDouble(3, delaySeconds);
            update.setBoolean(4, retry);
            update.setLong(5, taskId);
            update.setArray(6, c.createArrayOf("text", transition.fromWireNames()));
            update.executeUpdate();
        }
    }

    private static boolean jobCancelled(Connection c, UUID jobId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT status FROM jobs WHERE id = ?")) {
            select.setObject(1, jobId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() && JobStatus.CANCELLED.wireName().equals(rs.getString(1));
            }
        }
    }

    /** Abandons a running task whose row the caller already holds (its lease expired or its attempt failed). */
    private static ItemCounts abandon(Connection c, long taskId, UUID jobId) throws SQLException {
        move(c, taskId, null, ABANDON, "");
        return cancelItemsOfStoppedTask(c, taskId, jobId);
    }

    private static ItemCounts cancelItemsOfStoppedTask(Connection c, long taskId, UUID jobId) throws SQLException {
        ItemCounts cancelled = ItemCounts.cancelled(JobCounters.closePendingItems(c, taskId, "cancelled", null, null));
        JobCounters.tasksFinished(c, jobId, 1, 0, cancelled);
        return cancelled;
    }

    /** Moves the caller's running task along {@code transition}, clearing the lease, or throws LeaseLost. */
    private static void leave(Connection c, ClaimedTask task, TaskTransition transition, String extraSet)
            throws SQLException {
        if (move(c, task.id(), task.leaseToken(), transition, extraSet) == 0) {
            throw new LeaseLostException(task.id());
        }
    }

    /**
     * Moves a task along {@code transition} and clears its lease. With a {@code leaseToken}, only if that lease still
     * holds; without one, the caller has already locked the row.
     */
    private static int move(Connection c, long taskId, UUID leaseToken, TaskTransition transition, String extraSet)
            throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE tasks SET status = ?, lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL, "
                        + "finished_at = CASE WHEN ? THEN now() END" + extraSet
                        + " WHERE id = ? AND status = ANY(?) AND (?::uuid IS NULL OR lease_token = ?)")) {
            update.setString(1, transition.to().wireName());
            update.setBoolean(2, transition.to().terminal());
            update.setLong(3, taskId);
            update.setArray(4, c.createArrayOf("text", transition.fromWireNames()));
            update.setObject(5, leaseToken);
            update.setObject(6, leaseToken);
            return update.executeUpdate();
        }
    }

    static void notify(Connection c, String channel, String payload) throws SQLException {
        try (PreparedStatement notify = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, channel);
            notify.setString(2, payload);
            notify.execute();
        }
    }
}
