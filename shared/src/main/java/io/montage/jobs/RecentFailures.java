package io.montage.jobs;

import io.montage.db.Database;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The latest failed items of every tenant, for the console's dashboard. It reads the newest {@link #SCANNED}
 * entries of the partial index {@code items_failed_recent} (failed items only, newest first) and groups them by job
 * and error code, so a dead task's hundred items make one row, not a screenful: its cost is bounded by that
 * number, whatever the queue holds.
 */
@Singleton
public class RecentFailures {

    /** Failed items read per look: the window the rows summarise. */
    public static final int SCANNED = 500;

    /**
     * Items of one job that failed with one code, among the latest {@link #SCANNED} failures; {@code message} is the
     * newest one's, {@code tenantSlug} null for platform work.
     */
    public record Failure(UUID jobId, UUID tenantId, String tenantSlug, String type, String errorCode, String message,
                          Instant lastAt, long items) {
    }

    private final Database database;

    public RecentFailures(Database database) {
        this.database = database;
    }

    /** At most {@code limit} groups, the most recent first. */
    public List<Failure> latest(int limit) {
        return database.asSystem(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT f.job_id, j.tenant_id, t.slug, j.type, f.error_code, "
                            + "(array_agg(f.error_message ORDER BY f.finished_at DESC))[1] AS message, "
                            + "max(f.finished_at) AS last_at, count(*) AS items "
                            + "FROM (SELECT job_id, error_code, error_message, finished_at FROM items "
                            + "      WHERE status = 'failed' ORDER BY finished_at DESC LIMIT ?) f "
                            + "JOIN jobs j ON j.id = f.job_id LEFT JOIN tenants t ON t.id = j.tenant_id "
                            + "GROUP BY f.job_id, j.tenant_id, t.slug, j.type, f.error_code "
                            + "ORDER BY last_at DESC LIMIT ?")) {
                select.setInt(1, SCANNED);
                select.setInt(2, limit);
                List<Failure> failures = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        failures.add(new Failure(rs.getObject("job_id", UUID.class),
                                rs.getObject("tenant_id", UUID.class), rs.getString("slug"), rs.getString("type"),
                                rs.getString("error_code"), rs.getString("message"),
                                rs.getTimestamp("last_at").toInstant(), rs.getLong("items")));
                    }
                }
                return failures;
            }
        });
    }
}
