package io.montage.jobs;

import io.montage.db.Database;
import io.montage.db.Durability;
import io.montage.db.Lead;
import io.montage.db.Rows;
import io.montage.errors.MontageException;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A tenant's view of its jobs and their items: every read runs inside the tenant's row-level security, except
 * {@link #listAllTenants}, the operators' view across tenants (the system role).
 */
@Singleton
public class Jobs {

    /** A job's columns as {@link #read} reads them (from jobs, or from a WITH that returns jobs rows). */
    static final String COLUMNS = "id, tenant_id, type, status, priority, params::text AS params, total_items, "
            + "succeeded_items, failed_items, cancelled_items, created_at, started_at, finished_at, expires_at";
    /** Status and type when given, and keyset paging: older than the job {@code after} when given. */
    private static final String FILTER = "(?::text IS NULL OR status = ?) AND (?::text IS NULL OR type = ?) "
            + "AND (?::uuid IS NULL OR (created_at, id) < (SELECT created_at, id FROM jobs WHERE id = ?))";

    private final Database database;

    public Jobs(Database database) {
        this.database = database;
    }

    public Optional<Job> find(UUID tenantId, UUID jobId) {
        return database.inTenant(tenantId, c -> find(c, jobId));
    }

    public Job get(UUID tenantId, UUID jobId) {
        return find(tenantId, jobId).orElseThrow(() -> notFound(jobId));
    }

    /**
     * Newest first. {@code after} is the id of the last job of the previous page (keyset pagination: stable while
     * new jobs arrive).
     */
    public List<Job> list(UUID tenantId, JobStatus status, UUID after, int limit) {
        return list(tenantId, status, null, after, limit);
    }

    /** Like {@link #list(UUID, JobStatus, UUID, int)}, only jobs of {@code type} when it is not null. */
    public List<Job> list(UUID tenantId, JobStatus status, String type, UUID after, int limit) {
        return database.inTenant(tenantId, c -> select(c, "SELECT " + COLUMNS + " FROM jobs WHERE " + FILTER
                + " ORDER BY created_at DESC, id DESC LIMIT ?", status, type, after, limit));
    }

    /**
     * The newest jobs of all tenants together (the console's operators), as the system role, paged like
     * {@link #list}. Each tenant's newest {@code limit} come from its end of the jobs_tenant_created index, so the
     * cost follows the tenants and the limit, never the jobs' number: 1-10 ms with 1M jobs of 20 tenants
     * (docs/benchmarks.md). There is deliberately no status or type filter here: without an index of their own
     * (a cost on every job written) a rare status had each tenant's jobs read through, 2 s for those 1M jobs.
     */
    public List<Job> listAllTenants(UUID after, int limit) {
        return database.asSystem(c -> select(c, "SELECT j.* FROM tenants t CROSS JOIN LATERAL (SELECT " + COLUMNS
                + " FROM jobs WHERE tenant_id = t.id AND " + FILTER + " ORDER BY created_at DESC, id DESC LIMIT ?) j "
                + "ORDER BY j.created_at DESC, j.id DESC LIMIT ?", null, null, after, limit, limit));
    }

    /** Runs a query whose {@link #FILTER} comes first among its parameters and its limits after. */
    private static List<Job> select(Connection c, String sql, JobStatus status, String type, UUID after, int... limits)
            throws SQLException {
        try (PreparedStatement select = c.prepareStatement(sql)) {
            String statusName = status == null ? null : status.wireName();
            select.setString(1, statusName);
            select.setString(2, statusName);
            select.setString(3, type);
            select.setString(4, type);
            select.setObject(5, after);
            select.setObject(6, after);
            for (int i = 0; i < limits.length; i++) {
                select.setInt(7 + i, limits[i]);
            }
            List<Job> jobs = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    jobs.add(read(rs));
                }
            }
            return jobs;
        }
    }

    /** Items of a job in order, from {@code afterSeq} (exclusive), optionally only those in one status. */
    public List<JobItem> items(UUID tenantId, UUID jobId, String status, int afterSeq, int limit) {
        return database.inTenant(tenantId, c -> {
            if (find(c, jobId).isEmpty()) {
                throw notFound(jobId);
            }
            try (PreparedStatement select = c.prepareStatement("SELECT " + ITEM_COLUMNS + " FROM items "
                    + "WHERE job_id = ? AND seq > ? AND (?::text IS NULL OR status = ?) ORDER BY seq LIMIT ?")) {
                select.setObject(1, jobId);
                select.setInt(2, afterSeq);
                select.setString(3, status);
                select.setString(4, status);
                select.setInt(5, limit);
                List<JobItem> items = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        items.add(readItem(rs));
                    }
                }
                return items;
            }
        });
    }

    /**
     * The job and, once it succeeded, its first {@code limit} items in order (none before): what a synchronous
     * request's caller reads after each wake-up, in ONE round trip (the tenant's setting travels with it). The job
     * is not found: 404, as {@link #get}.
     */
    public JobResults results(UUID tenantId, UUID jobId, int limit) {
        return database.inTenant(tenantId, Durability.FULL, new Lead<>("WITH job AS (SELECT " + COLUMNS
                + " FROM jobs WHERE id = ?) SELECT job.*, item.* FROM job LEFT JOIN LATERAL (SELECT " + ITEM_COLUMNS
                + " FROM items WHERE items.job_id = job.id AND job.status = 'succeeded' ORDER BY seq LIMIT ?) item "
                + "ON true ORDER BY item.seq", params -> params.add(jobId).add(limit), rows -> {
                    Job job = null;
                    List<JobItem> items = new ArrayList<>();
                    while (rows.next()) {
                        job = job == null ? read(rows) : job;
                        rows.getInt("seq");
                        if (!rows.wasNull()) {
                            items.add(readItem(rows));
                        }
                    }
                    if (job == null) {
                        throw notFound(jobId);
                    }
                    return new JobResults(job, items);
                }));
    }

    static Optional<Job> find(Connection c, UUID jobId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM jobs WHERE id = ?")) {
            select.setObject(1, jobId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    static MontageException notFound(UUID jobId) {
        return MontageException.notFound("job_not_found", "no job " + jobId + " for this tenant");
    }

    /** An item's columns as {@link #readItem} reads them; none of them shares a name with {@link #COLUMNS}. */
    private static final String ITEM_COLUMNS = "seq, custom_id, status AS item_status, result::text AS result, "
            + "error_code, error_message";

    private static JobItem readItem(ResultSet rs) throws SQLException {
        return new JobItem(rs.getInt("seq"), rs.getString("custom_id"), rs.getString("item_status"),
                rs.getString("result"), rs.getString("error_code"), rs.getString("error_message"));
    }

    static Job read(ResultSet rs) throws SQLException {
        return new Job(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class), rs.getString("type"),
                JobStatus.fromWireName(rs.getString("status")), rs.getInt("priority"), rs.getString("params"),
                rs.getInt("total_items"), rs.getInt("succeeded_items"), rs.getInt("failed_items"),
                rs.getInt("cancelled_items"), Rows.instant(rs, "created_at"), Rows.instant(rs, "started_at"),
                Rows.instant(rs, "finished_at"), Rows.instant(rs, "expires_at"));
    }
}
