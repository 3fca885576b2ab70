package io.montage.jobs;

import io.montage.db.Database;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What waits in the queue, per priority and tenant, for the console's dashboard. It reads the jobs' own counters
 * (total minus finished items) of the jobs in flight through the partial index {@code jobs_in_flight}, never a
 * count over items or tasks: its cost follows the number of unfinished jobs, however many items they hold.
 */
@Singleton
public class QueueDepth {

    /** One tenant's unfinished work at one priority; {@code tenantSlug} is null for platform work. */
    public record Depth(int priority, UUID tenantId, String tenantSlug, long jobs, long itemsLeft) {
    }

    private final Database database;

    public QueueDepth(Database database) {
        this.database = database;
    }

    /** Highest priority first, then the tenants with the most items left. */
    public List<Depth> now() {
        return database.asSystem(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT j.priority, j.tenant_id, t.slug, count(*) AS jobs, "
                            + "sum(j.total_items - j.succeeded_items - j.failed_items - j.cancelled_items) AS items_left "
                            + "FROM jobs j LEFT JOIN tenants t ON t.id = j.tenant_id "
                            + "WHERE j.status IN ('queued', 'running') "
                            + "GROUP BY j.priority, j.tenant_id, t.slug ORDER BY j.priority DESC, items_left DESC");
                 ResultSet rs = select.executeQuery()) {
                List<Depth> depths = new ArrayList<>();
                while (rs.next()) {
                    depths.add(new Depth(rs.getInt("priority"), rs.getObject("tenant_id", UUID.class),
                            rs.getString("slug"), rs.getLong("jobs"), rs.getLong("items_left")));
                }
                return depths;
            }
        });
    }
}
