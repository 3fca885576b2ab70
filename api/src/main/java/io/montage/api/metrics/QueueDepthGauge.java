package io.montage.api.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micronaut.scheduling.annotation.Scheduled;
import io.montage.db.Database;
import io.montage.jobs.Priority;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code montage_queue_depth{priority,tenant}}: the tasks waiting to be claimed (queued or retrying), by priority
 * class and tenant slug, read with one aggregate query as the system role every
 * {@code montage.metrics.queue-depth-every} (not per scrape: any number of scrapers cost the database the same).
 * The query walks the claimable partial index only; at most {@link #MAX_SERIES} series (the deepest), so the
 * exposition stays bounded whatever the number of tenants. Tenant slugs are on the management port only (ADR 0026).
 */
@Singleton
public class QueueDepthGauge {

    static final int MAX_SERIES = 500;

    private static final String DEPTHS = """
            SELECT t.priority >= ? AS interactive, tn.slug, count(*) AS depth
            FROM tasks t JOIN tenants tn ON tn.id = t.tenant_id
            WHERE t.status IN ('queued', 'retrying')
            GROUP BY 1, 2 ORDER BY depth DESC LIMIT ?""";

    private final Database database;
    private final MultiGauge depth;

    public QueueDepthGauge(Database database, MeterRegistry metrics) {
        this.database = database;
        this.depth = MultiGauge.builder("montage.queue.depth")
                .description("Tasks waiting to be claimed (queued or retrying), by priority class and tenant slug")
                .baseUnit("tasks").register(metrics);
    }

    @Scheduled(fixedDelay = "${montage.metrics.queue-depth-every:15s}", initialDelay = "1s")
    void refresh() {
        depth.register(database.asSystem(connection -> {
            try (PreparedStatement select = connection.prepareStatement(DEPTHS)) {
                select.setInt(1, Priority.INTERACTIVE);
                select.setInt(2, MAX_SERIES);
                List<MultiGauge.Row<?>> rows = new ArrayList<>();
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        rows.add(MultiGauge.Row.of(Tags.of("priority",
                                result.getBoolean(1) ? "interactive" : "bulk", "tenant", result.getString(2)),
                                result.getLong(3)));
                    }
                }
                return rows;
            }
        }), true);
    }
}
