package io.montage.console.dashboard;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
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
import io.montage.workers.WorkerNode;
import io.montage.workers.WorkerRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The queue (unfinished items per priority and tenant, read from the jobs' counters) and the workers with their
 * capabilities and last heartbeat, stale ones flagged; it updates itself by server push while open.
 */
@Prototype
@Route(value = "", layout = MainLayout.class)
@PageTitle("Dashboard · Montage console")
public class DashboardView extends VerticalLayout {

    /** Three missed heartbeats at the worker's default interval (10 s): the worker is likely gone. */
    private static final Duration STALE = Duration.ofSeconds(30);

    private record Snapshot(List<QueueDepth.Depth> queue, List<WorkerNode> workers, Instant at) {
    }

    private final LiveTable<QueueDepth.Depth> queue = new LiveTable<>("queue", "Nothing waits: the queue is empty.");
    private final LiveTable<WorkerNode> workerTable = new LiveTable<>("workers", "No worker has registered.");
    private final Span updated = new Span();

    public DashboardView(QueueDepth queueDepth, WorkerRegistry workers, Refresher refresher) {
        queue.text("Priority", d -> (Priority.isInteractive(d.priority()) ? "interactive (" : "bulk (") + d.priority() + ")")
                .text("Tenant", d -> d.tenantSlug() == null ? "(platform)" : d.tenantSlug())
                .text("Jobs in flight", QueueDepth.Depth::jobs)
                .text("Items left", QueueDepth.Depth::itemsLeft);
        workerTable.text("Worker", w -> w.host() + " (pid " + w.pid() + ")")
                .component("Health", DashboardView::health)
                .text("Serves", w -> String.join(", ", w.capabilities()))
                .text("Started", w -> Format.instant(w.startedAt()));
        updated.setId("dashboard-updated");
        add(new H2("Dashboard"), updated, new H3("Queue: unfinished items per priority and tenant"), queue,
                new H3("Workers"), workerTable);
        refresher.follow(this, () -> new Snapshot(queueDepth.now(), workers.list(), Instant.now()), this::show);
    }

    private void show(Snapshot snapshot) {
        queue.show(snapshot.queue());
        workerTable.show(snapshot.workers());
        updated.setText("Updated " + Format.instant(snapshot.at()) + " (live)");
    }

    private static Span health(WorkerNode worker) {
        Duration since = Duration.between(worker.heartbeatAt(), Instant.now());
        boolean stale = !"stopped".equals(worker.status()) && since.compareTo(STALE) > 0;
        Span health = new Span(worker.status() + ", heartbeat " + since.toSeconds() + " s ago" + (stale ? " — STALE" : ""));
        if (stale) {
            health.getStyle().set("color", "var(--lumo-error-text-color)").set("font-weight", "600");
        }
        return health;
    }
}
