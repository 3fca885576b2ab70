package io.montage.worker.testing;

import io.montage.db.Database;
import io.montage.testing.SharedContext;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Reads a task row as the queue left it, underneath the tenant's view. */
public final class TaskRows {

    /** A task's state; {@code leaseOwner} is the worker holding it, null unless running. */
    public record TaskRow(long id, String status, int attempts, UUID leaseOwner, String lastError) {
    }

    private TaskRows() {
    }

    /** Every task of a job, in order. */
    public static List<TaskRow> tasksOf(UUID jobId) {
        return SharedContext.bean(Database.class).asSystem(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT id, status, attempts, lease_owner, last_error FROM tasks WHERE job_id = ? ORDER BY id")) {
                select.setObject(1, jobId);
                List<TaskRow> rows = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new TaskRow(rs.getLong("id"), rs.getString("status"), rs.getInt("attempts"),
                                rs.getObject("lease_owner", UUID.class), rs.getString("last_error")));
                    }
                }
                return rows;
            }
        });
    }

    /** How many of a job's tasks are in each status. */
    public static Map<String, Long> countByStatus(UUID jobId) {
        return SharedContext.bean(Database.class).asSystem(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT status, count(*) FROM tasks WHERE job_id = ? GROUP BY status")) {
                select.setObject(1, jobId);
                Map<String, Long> counts = new TreeMap<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        counts.put(rs.getString(1), rs.getLong(2));
                    }
                }
                return counts;
            }
        });
    }

    /** The task of a job small enough to have only one. */
    public static TaskRow onlyTaskOf(UUID jobId) {
        return SharedContext.bean(Database.class).asSystem(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT id, status, attempts, lease_owner, last_error FROM tasks WHERE job_id = ?")) {
                select.setObject(1, jobId);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        throw new AssertionError("job " + jobId + " has no task");
                    }
                    TaskRow row = new TaskRow(rs.getLong("id"), rs.getString("status"), rs.getInt("attempts"),
                            rs.getObject("lease_owner", UUID.class), rs.getString("last_error"));
                    if (rs.next()) {
                        throw new AssertionError("job " + jobId + " has more than one task");
                    }
                    return row;
                }
            }
        });
    }
}
