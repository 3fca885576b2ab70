package io.montage.jobs;

import io.montage.db.SqlFailures;
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
 * per task, never once per item.
 */
final class JobCounters {

    private static final Logger LOG = LoggerFactory.getLogger(JobCounters.class);

    private JobCounters() {
    }

    /**
     * Writes each outcome onto its pending item of {@code task}, in one statement. When the database refuses a value
     * (a NUL character in an error message that quotes an input, say), the outcomes are written one at a time and each
     * refused one becomes that item's error instead: one bad outcome never fails its task's other items.
     */
    static ItemCounts recordOutcomes(Connection c, ClaimedTask task, List<ItemOutcome> outcomes) throws SQLException {
        Savepoint whole = c.setSavepoint();
        try {
            ItemCounts counts = write(c, task, outcomes);
            c.releaseSavepoint(whole);
            return counts;
        } catch (SQLException e) {
            if (SqlFailures.refusedData(e).isEmpty()) {
                throw e;
            }
            c.rollback(whole);
        }
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
        int succeeded = 0;
        int failed = 0;
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE items i SET status = o.status, result = o.result::json, error_code = o.code, "
                        + "       error_message = o.message, finished_at = now() "
                        + "  FROM unnest(?::int[], ?::text[], ?::text[], ?::text[], ?::text[]) "
                        + "       AS o(seq, status, result, code, message) "
                        + " WHERE i.job_id = ? AND i.seq = o.seq AND i.task_id = ? AND i.status = 'pending' "
                        + "RETURNING i.status")) {
            update.setArray(1, c.createArrayOf("int4", seqs));
            update.setArray(2, c.createArrayOf("text", statuses));
            update.setArray(3, c.createArrayOf("text", results));
            update.setArray(4, c.createArrayOf("text", codes));
            update.setArray(5, c.createArrayOf("text", messages));
            update.setObject(6, task.jobId());
            update.setLong(7, task.id());
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
     * Adds finished tasks and their items to the job; when the last task finishes, a job that is still queued or
     * running becomes succeeded, or failed if any task died. Wakes whoever waits on the job.
     */
    static void tasksFinished(Connection c, UUID jobId, int tasks, int deadTasks, ItemCounts items)
            throws SQLException {
        if (tasks == 0) {
            return;
        }
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE jobs SET succeeded_items = succeeded_items + ?, failed_items = failed_items + ?, "
                        + "  cancelled_items = cancelled_items + ?, finished_tasks = finished_tasks + ?, "
                        + "  dead_tasks = dead_tasks + ?, "
                        + "  status = CASE WHEN status IN ('queued', 'running') AND finished_tasks + ? = total_tasks "
                        + "                THEN CASE WHEN dead_tasks + ? > 0 THEN 'failed' ELSE 'succeeded' END "
                        + "                ELSE status END, "
                        + "  finished_at = CASE WHEN finished_tasks + ? = total_tasks THEN coalesce(finished_at, now()) "
                        + "                     ELSE finished_at END "
                        + "WHERE id = ?")) {
            update.setInt(1, items.succeeded());
            update.setInt(2, items.failed());
            update.setInt(3, items.cancelled());
            update.setInt(4, tasks);
            update.setInt(5, deadTasks);
            update.setInt(6, tasks);
            update.setInt(7, deadTasks);
            update.setInt(8, tasks);
            update.setObject(9, jobId);
            update.executeUpdate();
        }
        JobQueue.notify(c, QueueChannels.JOBS, jobId.toString());
    }
}
