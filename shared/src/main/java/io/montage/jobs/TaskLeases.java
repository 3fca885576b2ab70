package io.montage.jobs;

import io.montage.db.DataAccessException;
import io.montage.db.Database;
import io.montage.db.Durability;
import io.montage.db.Lead;
import io.montage.db.SqlFailures;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import static io.montage.jobs.TaskTransition.ABANDON;
import static io.montage.jobs.TaskTransition.BURY;
import static io.montage.jobs.TaskTransition.RELEASE;
import static io.montage.jobs.TaskTransition.RETRY;
import static io.montage.jobs.TaskTransition.SUCCEED;

/**
 * The working side of the job queue in PostgreSQL: workers claim tasks with {@code FOR UPDATE SKIP LOCKED} under a
 * lease, read their items, extend the lease by heartbeat and finish with one of the {@link TaskTransition}s. Any
 * node may reap expired leases: there is no coordinator. Jobs come in through {@link JobIntake}.
 */
@Singleton
public class TaskLeases {

    private static final String NO_RESULT_CODE = "no_result";
    private static final String WORKER_CRASHED = "worker_crashed";
    private static final String NO_RESULT = "the worker returned no result for this item";
    /**
     * Completes a task in one statement: the lease check and the task's move to succeeded ({@code lease}: no row
     * when the lease is no longer held, and then nothing else writes), the outcomes, the pending items the outcomes
     * miss failed with {@code no_result} (disjoint from the outcomes' items: one statement must not update a row
     * twice), the job's counts and the wake-up of whoever waits on an interactive job. Parameters: task id, SUCCEED's from
     * statuses, lease token; {@link JobCounters#WRITE_OUTCOMES}'s; the no_result message, the outcomes' seqs.
     */
    private static final String COMPLETE = """
            WITH lease AS (
                UPDATE tasks SET status = '%s', lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL,
                       finished_at = now()
                 WHERE id = ? AND status = ANY(?) AND lease_token = ?
                RETURNING id, job_id
            ), outcome AS (
            %s
            ), missing AS (
                UPDATE items i SET status = 'failed', error_code = '%s', error_message = ?, finished_at = now()
                  FROM lease WHERE i.task_id = lease.id AND i.status = 'pending' AND i.seq <> ALL(?::int[])
                RETURNING 1
            ), n AS (
                SELECT (SELECT count(*) FROM outcome WHERE status = 'succeeded')::int AS succeeded,
                       ((SELECT count(*) FROM outcome WHERE status = 'failed')
                        + (SELECT count(*) FROM missing))::int AS failed,
                       0 AS cancelled, 1 AS tasks, 0 AS dead
            ), job AS (
                UPDATE jobs SET %s FROM n, lease WHERE jobs.id = lease.job_id RETURNING jobs.id, jobs.priority
            ), wake AS (%s)
            SELECT (SELECT count(*) FROM lease)::int AS held, n.succeeded, n.failed,
                   (SELECT count(*) FROM wake)::int AS woken
              FROM n""".formatted(SUCCEED.to().wireName(), JobCounters.WRITE_OUTCOMES, NO_RESULT_CODE,
            JobCounters.ADD_FINISHED, JobCounters.WAKE_WAITERS);

    private final Database database;
    private final QueueConfig config;
    private final RetryPolicy retryPolicy;
    private final TaskClaims claims;

    public TaskLeases(Database database, QueueConfig config, RetryPolicy retryPolicy) {
        this.database = database;
        this.config = config;
        this.retryPolicy = retryPolicy;
        this.claims = new TaskClaims(config);
    }

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
        return claim(workerId, types, modelIds, minPriority, max, true);
    }

    /**
     * {@link #claim(UUID, Collection, Collection, int, int)}, with {@link ClaimedTask#suspect suspects} only when
     * {@code suspects}: a worker that runs other tasks passes false, so that a suspect runs alone wherever it runs.
     */
    public List<ClaimedTask> claim(UUID workerId, Collection<String> types, Collection<UUID> modelIds,
                                   int minPriority, int max, boolean suspects) {
        if (max <= 0 || types.isEmpty()) {
            return List.of();
        }
        // one round trip: V27's function enters the system role and never waits for the WAL flush (a claim lost in
        // a crash only hands the task back, attempt uncounted, and any later flush writes the claim's commit too)
        List<ClaimedTask> claimed = database.callAsSystem(claims.lead(workerId, types, modelIds, minPriority, max,
                suspects));
        claims.remember(claimed);
        return claimed;
    }

    /**
     * The items a claimed task carries that still wait for an outcome, in order: those that came with the claim, or
     * read now when they were too large to come with it.
     */
    public List<TaskItem> items(ClaimedTask task) {
        if (task.items() != null) {
            return task.items();
        }
        return database.asSystem(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT seq, custom_id, input::text, input_bytes FROM items WHERE task_id = ? AND status = 'pending' ORDER BY seq")) {
                select.setLong(1, task.id());
                List<TaskItem> items = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        items.add(new TaskItem(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getBytes(4)));
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
        ItemCounts counts;
        try {
            counts = database.asSystem(SyncRequestCommits.durability(task), Lead.fixedWidth(COMPLETE, params -> {
                params.add(task.id()).array("text", SUCCEED.fromWireNames()).add(task.leaseToken());
                JobCounters.bindOutcomes(params, outcomes);
                params.add(NO_RESULT).array("int4", outcomes.stream().map(ItemOutcome::seq).toArray());
            }, TaskLeases::completed));
        } catch (DataAccessException e) {
            if (SqlFailures.refusedData(e).isEmpty()) {
                throw e;
            }
            counts = completeOneByOne(task, outcomes); // the statement wrote nothing
        }
        if (counts == null) {
            throw new LeaseLostException(task.id());
        }
        return counts;
    }

    /** {@link #COMPLETE}'s row: the items that ended, or null when the lease was not held. */
    private static ItemCounts completed(ResultSet row) throws SQLException {
        row.next();
        return row.getInt("held") == 0 ? null : new ItemCounts(row.getInt("succeeded"), row.getInt("failed"), 0);
    }

    /**
     * {@link #complete} when the database refused a value: the outcomes one at a time, each refused one becoming its
     * item's error ({@link JobCounters#recordOneByOne}), in one transaction.
     */
    private ItemCounts completeOneByOne(ClaimedTask task, List<ItemOutcome> outcomes) {
        return database.asSystem(c -> {
            SyncRequestCommits.relaxFor(c, task);
            leave(c, task, SUCCEED, "");
            ItemCounts counts = JobCounters.recordOneByOne(c, task, outcomes);
            counts = counts.plus(ItemCounts.failed(JobCounters.closePendingItems(c, task.id(), "failed",
                    NO_RESULT_CODE, NO_RESULT)));
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

    /**
     * Hands a task back unfinished (graceful shutdown, or a worker keeping a suspect alone): the attempt does not
     * count, and the task keeps its place in line ({@code run_after} stays).
     */
    public void release(ClaimedTask task) {
        database.asSystem(c -> {
            leave(c, task, RELEASE, ", attempts = attempts - 1");
            QueueChannels.notify(c, QueueChannels.TASKS, TaskAnnouncement.of(task).payload());
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
     * Takes back tasks whose lease expired (their worker died, stalled or was cut off). Safe to run on every node at
     * once. A crash is not the handler's failure: it does not count as an attempt, and the task keeps its place in
     * line (its {@code run_after} stays, so it goes before everything queued after it). A task whose lease expired
     * {@code montage.queue.max-crashes} times is split ({@link #split}); a lone item that keeps crashing its
     * workers fails alone with {@code worker_crashed}.
     */
    public Reaped reapExpiredLeases(int limit) {
        return database.asSystem(c -> {
            record Expired(long id, UUID jobId, int crashes) {
            }
            List<Expired> expired = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT id, job_id, crashes + 1 FROM tasks "
                            + "WHERE status = 'running' AND lease_expires_at < now() "
                            + "ORDER BY lease_expires_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
                select.setInt(1, limit);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        expired.add(new Expired(rs.getLong(1), rs.getObject(2, UUID.class), rs.getInt(3)));
                    }
                }
            }
            ItemCounts ended = ItemCounts.NONE;
            for (Expired task : expired) {
                ended = ended.plus(crashed(c, task.id(), task.jobId(), task.crashes()));
            }
            return new Reaped(expired.size(), ended);
        });
    }

    /**
     * A running task (row locked) lost its lease for the {@code crashes}th time. Below the crash budget it is
     * claimable again at once; at the budget, a task of several pending items is split and one of a single item
     * fails with {@code worker_crashed}.
     *
     * @return the task's items that ended: none unless its lone item failed or the job was cancelled
     */
    private ItemCounts crashed(Connection c, long taskId, UUID jobId, int crashes) throws SQLException {
        if (jobCancelled(c, jobId)) {
            return abandon(c, taskId, jobId);
        }
        String error = "lease expired: the worker running it stopped heartbeating (crash " + crashes + ")";
        if (crashes < config.maxCrashes()) {
            requeueCrashed(c, taskId, crashes, error);
            return ItemCounts.NONE;
        }
        if (pendingItems(c, taskId) > 1) {
            split(c, taskId, jobId, error);
            return ItemCounts.NONE;
        }
        return failForGood(c, taskId, jobId, error, WORKER_CRASHED, "the worker running this item died "
                + crashes + " times in a row (killed, out of memory, or cut off); the other items of its job ran "
                + "without it. Check the input, then retry the job's failed items (POST /v1/jobs/{id}/retry)");
    }

    /**
     * Claimable again at once, its attempt not counted ({@code attempts - 1}: the claim counted it) and its place in
     * line kept: {@code run_after} stays as it was.
     */
    private static void requeueCrashed(Connection c, long taskId, int crashes, String error) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE tasks SET status = ?, last_error = ?, crashes = ?, attempts = attempts - 1, lease_owner = NULL, "
                        + "lease_token = NULL, lease_expires_at = NULL WHERE id = ? AND status = ANY(?)")) {
            update.setString(1, RETRY.to().wireName());
            update.setString(2, error);
            update.setInt(3, crashes);
            update.setLong(4, taskId);
            update.setArray(5, c.createArrayOf("text", RETRY.fromWireNames()));
            update.executeUpdate();
        }
    }

    /**
     * Bisects a task that keeps crashing its workers: the later half of its pending items (by seq) moves to a new
     * task with the same place in line, and both halves are requeued one crash short of the budget, so the half
     * that crashes again is split again at once. A poison item among n is alone after about log2(n) more crashes,
     * and everything else runs.
     */
    private void split(Connection c, long taskId, UUID jobId, String error) throws SQLException {
        int budget = config.maxCrashes() - 1;
        requeueCrashed(c, taskId, budget, error + "; split in two");
        long half;
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO tasks (job_id, tenant_id, type, status, priority, attempts, max_attempts, run_after, "
                        + "last_error, created_at, model_id, crashes) "
                        + "SELECT job_id, tenant_id, type, status, priority, attempts, max_attempts, run_after, "
                        + "last_error, created_at, model_id, crashes FROM tasks WHERE id = ? RETURNING id")) {
            insert.setLong(1, taskId);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                half = rs.getLong(1);
            }
        }
        try (PreparedStatement move = c.prepareStatement(
                "WITH pending AS (SELECT job_id, seq, row_number() OVER (ORDER BY seq) AS n, count(*) OVER () AS total "
                        + "FROM items WHERE task_id = ? AND status = 'pending') "
                        + "UPDATE items i SET task_id = ? FROM pending p "
                        + "WHERE i.job_id = p.job_id AND i.seq = p.seq AND p.n > p.total / 2");
             PreparedStatement count = c.prepareStatement("UPDATE jobs SET total_tasks = total_tasks + 1 WHERE id = ?")) {
            move.setLong(1, taskId);
            move.setLong(2, half);
            move.executeUpdate();
            count.setObject(1, jobId);
            count.executeUpdate();
        }
    }

    private static int pendingItems(Connection c, long taskId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT count(*) FROM items WHERE task_id = ? AND status = 'pending'")) {
            select.setLong(1, taskId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
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
        }    }
}
