package io.montage.console.evaluations;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.micronaut.context.annotation.Prototype;
import io.montage.console.access.AdminActions;
import io.montage.console.access.Feedback;
import io.montage.console.live.LiveTable;
import io.montage.console.live.Refresher;
import io.montage.console.navigation.Format;
import io.montage.console.navigation.MainLayout;
import io.montage.console.navigation.TenantChoice;
import io.montage.datasets.Datasets;
import io.montage.evaluation.runs.EvalRun;
import io.montage.evaluation.runs.EvalRunExamples;
import io.montage.evaluation.runs.EvalRunIndex;
import io.montage.evaluation.runs.EvalRunModel;
import io.montage.evaluation.runs.EvalRuns;
import io.montage.jobs.Job;
import io.montage.jobs.Jobs;
import io.montage.json.JsonCodec;
import io.montage.models.ModelRegistry;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A tenant's evaluation runs: start one, follow each run's progress live (server push), open one for its results,
 * and add finished runs to a side-by-side comparison. Reading a running run completes the models whose jobs have
 * ended (ADR 0015), so the results appear with the refresh after the last task.
 */
@Prototype
@Route(value = "evaluations", layout = MainLayout.class)
@PageTitle("Evaluation runs · Montage console")
public class EvaluationsView extends VerticalLayout implements BeforeEnterObserver {

    /** Newest runs listed (each refresh reads the running ones' jobs). */
    static final int SHOWN = 20;

    /** A listed run and how far its jobs are (1 when it is over). */
    private record Row(EvalRunIndex.Summary run, double done) {
    }

    /** What the refresh thread reads for the view: the runs, and the opened one with its jobs and results. */
    private record Snapshot(Tenant tenant, List<Row> rows, EvalRun opened, List<Optional<Job>> jobs,
                            RunResults results, Instant at) {
    }

    /** What the refresh thread is to read: the tenant and the opened run; replaced whole by the UI thread. */
    private record Focus(Tenant tenant, UUID opened) {
    }

    private final TenantService tenants;
    private final EvalRuns runs;
    private final EvalRunIndex index;
    private final EvalRunExamples examples;
    private final Jobs jobs;
    private final JsonCodec json;
    private final ComboBox<Tenant> tenant = TenantChoice.box("evaluations-tenant");
    private final RunForm form;
    private final LiveTable<Row> table = new LiveTable<>("runs", "No evaluation run for this tenant yet.");
    private final Span updated = new Span();
    private final RunDetail detail;
    private final RunComparison comparison;
    private volatile Focus focus;
    /** The opened run's results once built (by either thread): built once, as they never change. */
    private volatile RunResults results;

    public EvaluationsView(TenantService tenants, EvalRuns runs, EvalRunIndex index, EvalRunExamples examples,
                           Jobs jobs, JsonCodec json, ModelRegistry registry, Datasets datasets,
                           AdminActions actions, Refresher refresher) {
        this.tenants = tenants;
        this.runs = runs;
        this.index = index;
        this.examples = examples;
        this.jobs = jobs;
        this.json = json;
        this.form = new RunForm(runs, registry, datasets, actions, started -> open(started.id()));
        this.detail = new RunDetail(datasets, json, runs, actions,
                id -> tenants.find(id).map(Tenant::slug).orElse(id.toString()));
        this.comparison = new RunComparison(json);
        updated.setId("runs-updated");
        tenant.addValueChangeListener(e -> {
            if (e.getValue() != null) {
                form.offer(e.getValue());
            }
            detail.hide();
            results = null;
            focus = new Focus(e.getValue(), null);
            show(read(focus));
        });
        columns();
        add(new H2("Evaluation runs"), tenant, form, new H3("Runs"), updated, table, comparison, detail);
        refresher.follow(this, () -> read(focus), this::show);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        TenantChoice.fill(tenant, tenants, event);
    }

    private void columns() {
        table.text("Run", r -> r.run().id().toString().substring(0, 8))
                .text("Task", r -> r.run().task())
                .text("Dataset", r -> r.run().dataset() + " v" + r.run().datasetVersion())
                .text("Models", r -> String.join(", ", r.run().models()))
                .text("Status", r -> r.run().status())
                .component("Progress", EvaluationsView::progress)
                .text("Started", r -> Format.instant(r.run().createdAt()))
                .component("", this::buttons);
    }

    private static Component progress(Row row) {
        ProgressBar bar = new ProgressBar(0, 1, row.done());
        bar.setWidth("8em");
        HorizontalLayout cell = new HorizontalLayout(bar, new Span((int) Math.floor(row.done() * 100) + " %"));
        cell.setId("run-progress-" + row.run().id());
        cell.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        return cell;
    }

    private Component buttons(Row row) {
        Button open = new Button("Open", e -> open(row.run().id()));
        open.setId("open-" + row.run().id());
        open.addThemeVariants(ButtonVariant.SMALL);
        Button compare = new Button("Compare", e -> compare(row.run().id()));
        compare.setId("compare-" + row.run().id());
        compare.addThemeVariants(ButtonVariant.SMALL, ButtonVariant.TERTIARY);
        compare.setEnabled(!row.run().running());
        return new HorizontalLayout(open, compare);
    }

    private void open(UUID run) {
        Focus now = focus;
        results = null;
        focus = new Focus(now == null ? tenant.getValue() : now.tenant(), run);
        show(read(focus));
    }

    private void compare(UUID id) {
        Tenant owner = focus.tenant();
        runs.find(owner.id(), id).ifPresent(run -> {
            if (!comparison.add(run)) {
                Feedback.error("That run is compared already, or " + RunComparison.MAX_RUNS + " runs are.");
            }
        });
    }

    private Snapshot read(Focus current) {
        if (current == null || current.tenant() == null) {
            return new Snapshot(null, List.of(), null, List.of(), null, Instant.now());
        }
        UUID owner = current.tenant().id();
        List<Row> rows = new ArrayList<>();
        for (EvalRunIndex.Summary summary : index.newest(owner, SHOWN)) {
            if (!summary.running()) {
                rows.add(new Row(summary, 1));
                continue;
            }
            // completes the models whose jobs ended; the status shown is then the one just decided
            Optional<EvalRun> run = runs.find(owner, summary.id());
            rows.add(new Row(run.map(r -> withStatus(summary, r)).orElse(summary), run.map(this::done).orElse(0.0)));
        }
        EvalRun opened = current.opened() == null ? null : runs.find(owner, current.opened()).orElse(null);
        List<Optional<Job>> openedJobs = opened == null ? List.of() : jobsOf(opened);
        RunResults built = results;
        if (opened != null && !"running".equals(opened.status())
                && (built == null || !built.run().id().equals(opened.id()))) {
            built = RunResults.of(opened, json, examples);
            results = built;
        }
        return new Snapshot(current.tenant(), rows, opened, openedJobs, opened == null ? null : built, Instant.now());
    }

    private static EvalRunIndex.Summary withStatus(EvalRunIndex.Summary s, EvalRun run) {
        return new EvalRunIndex.Summary(s.id(), s.task(), run.status(), s.dataset(), s.datasetVersion(), s.models(),
                s.createdAt(), run.finishedAt());
    }

    private List<Optional<Job>> jobsOf(EvalRun run) {
        return run.models().stream().map(m -> m.jobId() == null ? Optional.<Job>empty()
                : jobs.find(run.tenantId(), m.jobId())).toList();
    }

    private double done(EvalRun run) {
        if (!"running".equals(run.status())) {
            return 1;
        }
        long total = 0;
        long pending = 0;
        for (EvalRunModel m : run.models()) {
            Optional<Job> job = m.jobId() == null ? Optional.empty() : jobs.find(run.tenantId(), m.jobId());
            total += job.map(Job::totalItems).orElse(0);
            pending += job.map(Job::pendingItems).orElse(0);
        }
        return total == 0 ? 0 : (total - pending) / (double) total;
    }

    private void show(Snapshot snapshot) {
        Focus current = focus;
        if (current == null || snapshot.tenant() != current.tenant()) {
            return; // read for a tenant no longer chosen: the next refresh brings the right rows
        }
        table.show(snapshot.rows());
        updated.setText("Updated " + Format.instant(snapshot.at()) + " (live)");
        if (snapshot.opened() != null && snapshot.opened().id().equals(current.opened())) {
            RunResults built = snapshot.results() != null && snapshot.results().run().id().equals(current.opened())
                    ? snapshot.results() : null;
            detail.show(snapshot.opened(), snapshot.jobs(), built);
        }
    }
}
