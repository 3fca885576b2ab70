package io.montage.jobs;

import io.montage.db.SqlFailures;
import io.montage.db.SqlParams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;
import java.util.UUID;

/**
 * Keeps a job's counts equal to its items' states. Items end only together with their task, and the task's
 * transition, its items' updates and the job's counts commit in one transaction, so the counts are exact under
 * any concurrency (concurrent finishers of one job serialise on the job row), and the job row is written once
 * per task, never once per item. The SQL here is also the parts of {@link TaskLeases#complete}'s one statement.
 */
final class JobCounters {

    private static final Logger LOG = LoggerFactory.getLogger(JobCounters.class);

    /**
     * Writes outcomes onto the pending items of the task in the relation {@code lease (id, job_id)}. Parameters:
     * seqs, statuses, results, codes, messages ({@link #bindOutcomes}).
     */
    static final String WRITE_OUTCOMES = """
            UPDATE items i SET status = o.status, result = o.result::json, error_code = o.code,
                   error_message = o.message, finished_at = now()
              FROM lease, unnest(?::int[], ?::text[], ?::text[], ?::text[], ?::text[])
                   AS o(seq, status, result, code, message)
             WHERE i.job_id = lease.job_id AND i.seq = o.seq AND i.task_id = lease.id AND i.status = 'pending'
            RETURNING i.status""";
    /**
     * Adds finished tasks and their items, the relation {@code n (succeeded, failed, cancelled, tasks, dead)}, to
     * the job; when the last task finishes, a job that is still queued or running becomes succeeded, or failed if
     * any task died.
     */
    static final String ADD_FINISHED = """
            succeeded_items = succeeded_items + n.succeeded, failed_items = failed_items + n.failed,
            cancelled_items = cancelled_items + n.cancelled, finished_tasks = finished_tasks + n.tasks,
            dead_tasks = dead_tasks + n.dead,
            status = CASE WHEN status IN ('queued', 'running') AND finished_tasks + n.tasks = total_tasks
                          THEN CASE WHEN dead_tasks + n.dead > 0 THEN 'failed' ELSE 'succeeded' END
                          ELSE status END,
            finished_at = CASE WHEN finished_tasks + n.tasks = total_tasks THEN coalesce(finished_at, now())
                               ELSE finished_at END""";
    /**
     * Wakes whoever waits on the interactive jobs in the relation {@code job (id, priority)}, at commit. Only those
     * have waiters ({@link InteractiveJobs}); a bulk job's caller polls it. A notifying commit holds PostgreSQL's
     * notification lock through its WAL flush, so notifying commits run one at a time: with a NOTIFY on every bulk
     * completion, the queue's completions could not share a flush (docs/benchmarks.md, "issue 10, session 4").
     */
    static final String WAKE_WAITERS = "SELECT pg_notify('" + QueueChannels.JOBS + "', id::text) FROM job WHERE "
            + "priority >= " + Priority.INTERACTIVE;

    private JobCounters() {
    }

    /**
     * Writes each outcome onto its pending item of {@code task} one at a time, in the caller's transaction: the way
     * {@link TaskLeases#complete} takes when the database refused a value of its one statement (a NUL character in
     * an error message that quotes an input, say). Each refused outcome becomes that item's error instead: one bad
     * outcome never fails its task's other items.
     */
    static ItemCounts recordOneByOne(Connection c, ClaimedTask task, List<ItemOutcome> outcomes) throws SQLException {
        ItemCounts counts = ItemCounts.NONE;
        for (ItemOutcome outcome : outcomes) {
            Savepoint one = c.setSavepoint();
            try {
                counts = counts.plus(write(c, task, List.of(outcome)));
                c.releaseSavepoint(one);
            } catch (SQLException e) {
                SqlFailures.RefusedData refused = SqlFailures.refusedData(e).orElseThrow(() -> e);
                LOG.warn("task {}: the outcome of item {} was refused ({}): {}", task.id(), outcome.seq(),
                        refused.code(), e.getMessage());
                c.rollback(one);
                counts = counts.plus(write(c, task, List.of(
                        ItemOutcome.failed(outcome.seq(), refused.code(), refused.message()))));
            }
        }
        return counts;
    }

    private static ItemCounts write(Connection c, ClaimedTask task, List<ItemOutcome> outcomes) throws SQLException {
        int succeeded = 0;
        int failed = 0;
        try (PreparedStatement update = c.prepareStatement(
                "WITH lease AS (SELECT ?::bigint AS id, ?::uuid AS job_id) " + WRITE_OUTCOMES)) {
            bindOutcomes(SqlParams.of(c, update).add(task.id()).add(task.jobId()), outcomes);
            try (ResultSet rs = update.executeQuery()) {
                while (rs.next()) {
                    if ("succeeded".equals(rs.getString(1))) {
                        succeeded++;
                    } else {
                        failed++;
                    }
                }
            }
        }
        return new ItemCounts(succeeded, failed, 0);
    }

    /** Binds {@link #WRITE_OUTCOMES}'s parameters. */
    static void bindOutcomes(SqlParams params, List<ItemOutcome> outcomes) throws SQLException {
        int n = outcomes.size();
        Integer[] seqs = new Integer[n];
        String[] statuses = new String[n];
        String[] results = new String[n];
        String[] codes = new String[n];
        String[] messages = new String[n];
        for (int i = 0; i < n; i++) {
            ItemOutcome o = outcomes.get(i);
            seqs[i] = o.seq();
            statuses[i] = o.ok() ? "succeeded" : "failed";
            results[i] = o.resultJson();
            codes[i] = o.errorCode();
            messages[i] = o.errorMessage();
        }
        params.array("int4", seqs).array("text", statuses).array("text", results).array("text", codes)
                .array("text", messages);
    }

    /** Ends every still-pending item of a task in {@code status}; returns how many. */
    static int closePendingItems(Connection c, long taskId, String status, String errorCode, String errorMessage)
            throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE items SET status = ?, error_code = ?, error_message = ?, finished_at = now() "
                        + "WHERE task_id = ? AND status = 'pending'")) {
            update.setString(1, status);
            update.setString(2, errorCode);
            update.setString(3, errorMessage);
            update.setLong(4, taskId);
            return update.executeUpdate();
        }
    }

    /**
     * Adds finished tasks and their items to the job ({@link #ADD_FINISHED}) and wakes whoever waits on it
     * ({@link #WAKE_WAITERS}).
     */
    static void tasksFinished(Connection c, UUID jobId, int tasks, int deadTasks, ItemCounts items)
            throws SQLException {
        if (tasks == 0) {
            return;
        }
        try (PreparedStatement update = c.prepareStatement("WITH n AS (SELECT ?::int AS succeeded, "
                + "?::int AS failed, ?::int AS cancelled, ?::int AS tasks, ?::int AS dead), "
                + "job AS (UPDATE jobs SET " + ADD_FINISHED + " FROM n WHERE jobs.id = ? RETURNING jobs.id, jobs.priority) "
                + WAKE_WAITERS)) {
            SqlParams.of(c, update).add(items.succeeded()).add(items.failed()).add(items.cancelled()).add(tasks)
                    .add(deadTasks).add(jobId);
            update.executeQuery().close();
        }
    }
}
