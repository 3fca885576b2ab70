package io.montage.api.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micronaut.scheduling.annotation.Scheduled;
import io.montage.jobs.Priority;
import io.montage.jobs.QueueDepth;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code montage_queue_items{priority,tenant}} and {@code montage_queue_jobs{priority,tenant}}: the unfinished work,
 * by priority class and tenant slug ({@code platform} for work of no tenant), read with {@link QueueDepth} (the
 * console dashboard's query: its cost follows the jobs in flight, not their items) every
 * {@code montage.metrics.queue-depth-every}, never per scrape: any number of scrapers cost the database the same.
 * At most {@link #MAX_SERIES} series each (the deepest), so the exposition stays bounded whatever the number of
 * tenants. Tenant slugs appear on the management port only (ADR 0026).
 */
@Singleton
public class QueueDepthGauge {

    static final int MAX_SERIES = 500;

    private final QueueDepth queue;
    private final MultiGauge items;
    private final MultiGauge jobs;

    public QueueDepthGauge(QueueDepth queue, MeterRegistry metrics) {
        this.queue = queue;
        this.items = MultiGauge.builder("montage.queue.items")
                .description("Items not yet finished in queued or running jobs, by priority class and tenant slug")
                .baseUnit("items").register(metrics);
        this.jobs = MultiGauge.builder("montage.queue.jobs")
                .description("Queued or running jobs, by priority class and tenant slug").register(metrics);
    }

    private record Depth(long jobs, long items) {
        Depth plus(Depth other) {
            return new Depth(jobs + other.jobs, items + other.items);
        }
    }

    @Scheduled(fixedDelay = "${montage.metrics.queue-depth-every:15s}", initialDelay = "1s")
    void refresh() {
        Map<Tags, Depth> depths = new LinkedHashMap<>(); // priorities fold into their class: two values, not 65,536
        for (QueueDepth.Depth depth : queue.now()) {
            Tags tags = Tags.of("priority", Priority.isInteractive(depth.priority()) ? "interactive" : "bulk",
                    "tenant", depth.tenantSlug() == null ? "platform" : depth.tenantSlug());
            depths.merge(tags, new Depth(depth.jobs(), depth.itemsLeft()), Depth::plus);
        }
        List<MultiGauge.Row<?>> itemRows = new ArrayList<>();
        List<MultiGauge.Row<?>> jobRows = new ArrayList<>();
        depths.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue().items(), a.getValue().items()))
                .limit(MAX_SERIES)
                .forEach(entry -> {
                    itemRows.add(MultiGauge.Row.of(entry.getKey(), entry.getValue().items()));
                    jobRows.add(MultiGauge.Row.of(entry.getKey(), entry.getValue().jobs()));
                });
        items.register(itemRows, true);
        jobs.register(jobRows, true);
    }
}
