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
 * entries of the partial index {@code items_failed_recent} (failed items only, newest first) and their rows, groups
 * them by job and error code, so a dead task's hundred items make one row, not a screenful, and only then looks up
 * the few jobs it shows: its cost is bounded by those numbers, whatever the queue and the job history hold.
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
                    "SELECT g.job_id, j.tenant_id, t.slug, j.type, g.error_code, g.message, g.last_at, g.items "
                            + "FROM (SELECT job_id, error_code, max(finished_at) AS last_at, count(*) AS items, "
                            + "             (array_agg(error_message ORDER BY finished_at DESC))[1] AS message "
                            + "      FROM (SELECT job_id, error_code, error_message, finished_at FROM items "
                            + "            WHERE status = 'failed' ORDER BY finished_at DESC LIMIT ?) f "
                            + "      GROUP BY job_id, error_code ORDER BY last_at DESC LIMIT ?) g "
                            + "JOIN jobs j ON j.id = g.job_id LEFT JOIN tenants t ON t.id = j.tenant_id "
                            + "ORDER BY g.last_at DESC")) {
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
