package io.montage.console.dashboard;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Image;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.micronaut.context.annotation.Prototype;
import io.montage.console.live.LiveTable;
import io.montage.console.live.Refresher;
import io.montage.console.navigation.Format;
import io.montage.console.navigation.MainLayout;
import io.montage.jobs.Priority;
import io.montage.jobs.QueueDepth;
import io.montage.jobs.RecentFailures;
import io.montage.workers.Throughput;
import io.montage.workers.WorkerNode;
import io.montage.workers.WorkerRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The platform at a glance, updated by server push while open: items finished per second over the last hour (a
 * chart), the queue (unfinished items per priority and tenant, from the jobs' counters), the workers with their
 * device, models and last heartbeat (stale ones flagged), and the latest failures. Every read is bounded by
 * something small (jobs in flight, minutes × workers, a few hundred failed items), never by the items queued:
 * docs/benchmarks.md, "Console dashboard".
 */
@Prototype
@Route(value = "", layout = MainLayout.class)
@PageTitle("Dashboard · Montage console")
public class DashboardView extends VerticalLayout {

    /** Three missed heartbeats at the worker's default interval (10 s): the worker is likely gone. */
    private static final Duration STALE = Duration.ofSeconds(30);
    /** Failure rows shown: each sums one job's items that failed with one code. */
    private static final int FAILURES_SHOWN = 15;

    /** A worker with the references of the models it serves (an id the registry no longer knows stays as is). */
    private record WorkerRow(WorkerNode node, String models) {
    }

    /** The chart as a {@code data:} URL (drawn on the refresh thread, not under the UI's lock) and what it says. */
    private record Snapshot(String chart, String throughput, List<QueueDepth.Depth> queue, List<WorkerRow> workers,
                            List<RecentFailures.Failure> failures, Instant at) {
    }

    private final ThroughputChart drawing = new ThroughputChart();
    private final Image chart = new Image();
    private final Span throughputSummary = new Span();
    private final LiveTable<QueueDepth.Depth> queue = new LiveTable<>("queue", "Nothing waits: the queue is empty.");
    private final LiveTable<WorkerRow> workerTable = new LiveTable<>("workers", "No worker has registered.");
    private final LiveTable<RecentFailures.Failure> failureTable =
            new LiveTable<>("failures", "No item failed lately.");
    private final Span updated = new Span();

    public DashboardView(Throughput throughput, QueueDepth queueDepth, WorkerRegistry workers,
                         ModelReferences models, RecentFailures failures, Refresher refresher) {
        chart.setId("throughput-chart");
        chart.setMaxWidth(ThroughputChart.WIDTH + "px");
        chart.setWidthFull();
        throughputSummary.setId("throughput-summary");
        queue.text("Priority", d -> (Priority.isInteractive(d.priority()) ? "interactive (" : "bulk (") + d.priority() + ")")
                .text("Tenant", d -> tenant(d.tenantSlug()))
                .text("Jobs in flight", d -> Format.count(d.jobs()))
                .text("Items left", d -> Format.count(d.itemsLeft()));
        workerTable.text("Worker", w -> w.node().host() + " (pid " + w.node().pid() + ")")
                .component("Health", w -> health(w.node()))
                .text("Device", w -> w.node().device() == null ? "(none reported)" : w.node().device())
                .text("Models", WorkerRow::models)
                .text("Task types", w -> w.node().capabilities().stream()
                        .filter(c -> !WorkerNode.isModelCapability(c)).collect(Collectors.joining(", ")))
                .text("Started", w -> Format.instant(w.node().startedAt()));
        failureTable.text("Last at", f -> Format.instant(f.lastAt()))
                .text("Tenant", f -> tenant(f.tenantSlug()))
                .text("Job", f -> f.type() + " " + f.jobId())
                .text("Error", f -> f.errorCode() + ": " + f.message())
                .text("Items", f -> Format.count(f.items()));
        updated.setId("dashboard-updated");
        add(new H2("Dashboard"), updated,
                new H3("Items finished per second (minute averages), last hour"), chart, throughputSummary,
                new H3("Queue: unfinished items per priority and tenant"), queue,
                new H3("Workers"), workerTable,
                new H3("Recent failures (the latest " + RecentFailures.SCANNED + " failed items, by job and error)"),
                failureTable);
        refresher.follow(this, () -> {
            List<Throughput.Minute> hour = throughput.lastHour();
            return new Snapshot(drawing.dataUrl(hour), summary(hour), queueDepth.now(), rows(workers.list(), models),
                    failures.latest(FAILURES_SHOWN), Instant.now());
        }, this::show);
    }

    private void show(Snapshot snapshot) {
        if (!snapshot.chart().equals(chart.getSrc())) { // the same String while the numbers stay the same
            chart.setSrc(snapshot.chart());
            chart.setAlt("Items finished per second, minute by minute. " + snapshot.throughput());
        }
        throughputSummary.setText(snapshot.throughput());
        queue.show(snapshot.queue());
        workerTable.show(snapshot.workers());
        failureTable.show(snapshot.failures());
        updated.setText("Updated " + Format.instant(snapshot.at()) + " (live)");
    }

    private static String summary(List<Throughput.Minute> minutes) {
        long succeeded = minutes.stream().mapToLong(Throughput.Minute::succeeded).sum();
        long failed = minutes.stream().mapToLong(Throughput.Minute::failed).sum();
        return "Last hour: " + Format.count(succeeded) + " items succeeded, " + Format.count(failed)
                + " failed; the minute under way so far: " + Format.count(minutes.getLast().items()) + ".";
    }

    private static List<WorkerRow> rows(List<WorkerNode> workers, ModelReferences models) {
        Map<String, String> references = models.of(workers);
        return workers.stream().map(w -> new WorkerRow(w, w.capabilities().stream()
                .filter(WorkerNode::isModelCapability).map(c -> references.getOrDefault(c, c))
                .collect(Collectors.joining(", ")))).toList();
    }

    private static String tenant(String slug) {
        return slug == null ? "(platform)" : slug;
    }

    private static Span health(WorkerNode worker) {
        Duration since = Duration.between(worker.heartbeatAt(), Instant.now());
        // lost: a reaper saw its heartbeat stop; stale: not yet marked, but silent for as long
        boolean lost = "lost".equals(worker.status());
        boolean stale = !lost && !"stopped".equals(worker.status()) && since.compareTo(STALE) > 0;
        Span health = new Span(worker.status() + ", heartbeat " + since.toSeconds() + " s ago" + (stale ? " — STALE" : ""));
        if (stale || lost) {
            health.getStyle().set("color", "var(--lumo-error-text-color)").set("font-weight", "600");
        }
        return health;
    }
}
