package io.montage.console.evaluations;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.AttachmentType;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Image;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import io.montage.console.access.AdminActions;
import io.montage.console.access.Feedback;
import io.montage.console.datasets.StoredImage;
import io.montage.console.navigation.Format;
import io.montage.datasets.DatasetSpace;
import io.montage.datasets.Datasets;
import io.montage.evaluation.runs.EvalRun;
import io.montage.evaluation.runs.EvalRunExamples;
import io.montage.evaluation.runs.EvalRunModel;
import io.montage.evaluation.runs.EvalRuns;
import io.montage.jobs.Job;
import io.montage.jobs.contracts.EvaluateJob;
import io.montage.json.JsonCodec;
import io.montage.models.ModelManifest;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * One run: what it measured (the reproducibility record), each model's progress while it runs, and once it is over
 * the results: the metrics side by side, and per model the confusion matrix as a heat map and as a table, the
 * per-class bars and the worst-classified entries as thumbnails (zero-shot), or the recall@k curves (retrieval);
 * the results download as JSON and CSV.
 */
final class RunDetail extends VerticalLayout {

    private final Datasets datasets;
    private final JsonCodec json;
    private final H3 title = new H3();
    private final Paragraph record = new Paragraph();
    private final VerticalLayout progress = new VerticalLayout();
    private final Anchor downloadJson = new Anchor();
    private final Anchor downloadCsv = new Anchor();
    private final VerticalLayout results = new VerticalLayout();
    private final Button cancel = new Button("Cancel run");
    /** A tenant's slug by id, for the audit row's target (as the admin command writes it). */
    private final Function<UUID, String> slugs;
    /** The run whose results are on screen (they never change once there), null for none. */
    private UUID resultsShown;
    private EvalRun shown;

    RunDetail(Datasets datasets, JsonCodec json, EvalRuns runs, AdminActions actions,
              Function<UUID, String> slugs) {
        this.slugs = slugs;
        this.datasets = datasets;
        this.json = json;
        cancel.setId("cancel-run");
        cancel.addThemeVariants(ButtonVariant.ERROR, ButtonVariant.SMALL);
        cancel.addClickListener(e -> cancel(runs, actions));
        setId("run-detail");
        setPadding(false);
        setVisible(false);
        title.setId("run-title");
        record.setId("run-record");
        record.getStyle().set("font-size", "var(--lumo-font-size-s)");
        progress.setId("run-progress");
        progress.setPadding(false);
        progress.setSpacing(false);
        downloadJson.setId("download-run-json");
        downloadJson.setText("Download results (JSON)");
        downloadCsv.setId("download-run-csv");
        downloadCsv.setText("Download results (CSV)");
        HorizontalLayout downloads = new HorizontalLayout(cancel, downloadJson, downloadCsv);
        results.setId("run-results");
        results.setPadding(false);
        add(title, record, progress, downloads, results);
    }

    /** Shows {@code run} as just read: its jobs for the progress, and its results once it is over. */
    void show(EvalRun run, List<Optional<Job>> jobs, RunResults finished) {
        shown = run;
        title.setText("Run " + run.id() + " · " + run.task() + " · " + run.status());
        record.setText(describe(run));
        progress.removeAll();
        for (int i = 0; i < run.models().size(); i++) {
            progress.add(progressLine(run.models().get(i), jobs.get(i)));
        }
        boolean over = !"running".equals(run.status());
        cancel.setVisible(!over);
        downloadJson.setVisible(over);
        downloadCsv.setVisible(over);
        if (finished != null && !run.id().equals(resultsShown)) {
            RunDownloads downloads = new RunDownloads(finished, json);
            downloadJson.setHref(downloads.json(), AttachmentType.DOWNLOAD);
            downloadCsv.setHref(downloads.csv(), AttachmentType.DOWNLOAD);
            results.removeAll();
            results(finished);
            resultsShown = run.id();
        } else if (finished == null && !run.id().equals(resultsShown)) {
            results.removeAll();
            resultsShown = null;
        }
        setVisible(true);
    }

    private String describe(EvalRun run) {
        Map<?, ?> r = json.read(run.recordJson(), Map.class);
        Map<?, ?> kinds = r.get("model_kinds") instanceof Map<?, ?> k ? k : Map.of(); // runs before it had none
        String models = String.join(", ", run.models().stream().map(m -> m.modelRef() + " (sha256 "
                + m.modelSha256().substring(0, 12) + "…" + (ModelManifest.FUSED.equals(kinds.get(m.modelRef()))
                ? ", fused: its own classes from image + caption" : "") + ")").toList());
        return "Dataset " + r.get("dataset") + " v" + r.get("dataset_version") + " (" + r.get("dataset_space")
                + ", " + r.get("entries") + " entries, sha256 " + String.valueOf(r.get("dataset_sha256"))
                .substring(0, 12) + "…) · models " + models + (run.templates().isEmpty() ? ""
                : " · templates " + String.join(" | ", run.templates())) + " · Montage " + r.get("montage_version")
                + " · started " + Format.instant(run.createdAt())
                + (run.finishedAt() == null ? "" : " · finished " + Format.instant(run.finishedAt()));
    }

    private static Component progressLine(EvalRunModel model, Optional<Job> job) {
        Span text = new Span();
        text.setId("run-model-" + model.position());
        HorizontalLayout line = new HorizontalLayout();
        line.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        if (job.isPresent() && !model.done()) {
            Job j = job.get();
            double done = j.totalItems() == 0 ? 1 : (j.totalItems() - j.pendingItems()) / (double) j.totalItems();
            ProgressBar bar = new ProgressBar(0, 1, done);
            bar.setWidth("10em");
            text.setText(model.modelRef() + ": " + (int) Math.floor(done * 100) + " % (" + (j.totalItems()
                    - j.pendingItems()) + " of " + j.totalItems() + " ranges, " + j.failedItems() + " failed)");
            line.add(bar, text);
        } else {
            text.setText(model.modelRef() + ": " + (model.failure() != null ? "failed: " + model.failure()
                    : model.done() ? "done " + Format.instant(model.finishedAt()) : "waiting"));
            line.add(text);
        }
        return line;
    }

    private void results(RunResults r) {
        results.add(new H4("Metrics"), MetricsTable.of(r));
        boolean zeroShot = EvaluateJob.ZERO_SHOT.equals(r.run().task());
        if (!zeroShot && r.recallCurves() != null) {
            Image curves = new Image(r.recallCurves(), "Recall@k curves of each model, image to text and text to "
                    + "image, k = 1, 5, 10");
            curves.setId("recall-curves");
            results.add(new H4("Recall@k"), curves);
        }
        for (ModelOutcome m : r.models()) {
            if (!m.measured() || !zeroShot) {
                continue;
            }
            results.add(new H4(m.modelRef()));
            if (!RunResults.drawn(r.classes())) {
                results.add(new Span(r.classes().size() + " classes: more than " + RunResults.DRAWN_CLASSES
                        + " are not drawn; the confusion matrix and per-class numbers are in the downloads."),
                        worst(r, m));
                continue;
            }
            Image heat = new Image(r.heatMaps().get(m.position()), "Confusion matrix of " + m.modelRef()
                    + " as a heat map: rows the true class, columns the predicted one, shaded by share of the row");
            heat.setId("confusion-heatmap-" + m.position());
            Div matrix = new Div(ConfusionTable.of(m.position(), r.classes(), m.confusion()));
            matrix.getStyle().set("overflow-x", "auto").set("max-width", "100%");
            HorizontalLayout side = new HorizontalLayout(heat, matrix);
            side.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.START);
            side.setWrap(true); // many classes: the table goes below the picture rather than off the page
            Image bars = new Image(r.perClassBars().get(m.position()), "Precision, recall and F1 of each class of "
                    + m.modelRef());
            bars.setId("per-class-bars-" + m.position());
            results.add(side, bars, worst(r, m));
        }
    }

    private Component worst(RunResults r, ModelOutcome m) {
        Div out = new Div();
        out.setId("worst-" + m.position());
        out.getStyle().set("display", "flex").set("flex-wrap", "wrap").set("gap", "var(--lumo-space-s)");
        Optional<List<EvalRunExamples.Example>> examples = r.worst().get(m.position());
        if (examples.isEmpty()) {
            out.add(new Span("The worst-classified entries are read from the model's job, which has expired "
                    + "(montage.evaluation.retention)."));
        } else if (examples.get().isEmpty()) {
            out.add(new Span("No entry was misclassified."));
        }
        DatasetSpace space = "shared".equals(json.read(r.run().recordJson(), Map.class).get("dataset_space"))
                ? DatasetSpace.SHARED : DatasetSpace.of(r.run().tenantId());
        examples.orElse(List.of()).forEach(e -> out.add(example(space, r.run().datasetVersionId(), e)));
        VerticalLayout section = new VerticalLayout(new Span("Worst-classified entries (the true class ranked "
                + "lowest, then the most confident wrong prediction)"), out);
        section.setPadding(false);
        return section;
    }

    private Component example(DatasetSpace space, UUID versionId, EvalRunExamples.Example e) {
        Image thumbnail = new Image(StoredImage.of(datasets, space, versionId, e.seq()), "entry " + e.seq() + ": true " + e.trueLabel() + ", predicted " + e.predictedLabel());
        thumbnail.setHeight("64px");
        thumbnail.addClassName("worst-thumbnail");
        thumbnail.getStyle().set("image-rendering", "pixelated");
        Span caption = new Span("true " + e.trueLabel() + " · predicted " + e.predictedLabel() + " ("
                + String.format(java.util.Locale.ROOT, "%.3f", e.predictedScore()) + ")");
        caption.getStyle().set("font-size", "var(--lumo-font-size-xs)");
        VerticalLayout figure = new VerticalLayout(thumbnail, caption);
        figure.setId("worst-entry-" + e.seq());
        figure.setPadding(false);
        figure.setSpacing(false);
        figure.setWidth("9em");
        return figure;
    }

    /** Cancels the run shown, audited as {@code admin cancel-evaluation} is; the next refresh shows it ended. */
    private void cancel(EvalRuns runs, AdminActions actions) {
        EvalRun run = shown;
        if (Feedback.attempt(() -> actions.perform("evaluation.cancel", "tenant " + tenantSlug(run), "run "
                + run.id(), () -> runs.cancel(run.tenantId(), run.id())))) {
            Feedback.done("Run " + run.id() + " is cancelled: its waiting ranges never run.");
            cancel.setVisible(false);
        }
    }

    private String tenantSlug(EvalRun run) {
        return slugs.apply(run.tenantId());
    }

    void hide() {
        setVisible(false);
    }
}
