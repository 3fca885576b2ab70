package io.montage.console.models;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.micronaut.context.annotation.Prototype;
import io.montage.console.access.AdminActions;
import io.montage.console.access.Feedback;
import io.montage.console.live.BackgroundWork;
import io.montage.console.live.LiveTable;
import io.montage.console.live.Refresher;
import io.montage.console.navigation.Format;
import io.montage.console.navigation.MainLayout;
import io.montage.models.Model;
import io.montage.models.ModelManifest;
import io.montage.models.ModelRegistry;
import io.montage.models.ModelStatus;
import io.montage.models.ModelsConfig;
import io.montage.workers.WorkerNode;
import io.montage.workers.WorkerRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Every registered model version with its status (a validation in progress and a failure's reason, followed by
 * server push), its manifest, the tenants that use it by default and the live workers that serve it; register a
 * bundle (a path, a URL or an upload), open a version's details, retire a version.
 */
@Prototype
@Route(value = "models", layout = MainLayout.class)
@PageTitle("Models · Montage console")
public class ModelsView extends VerticalLayout {

    /** A worker that has not heartbeated for this long serves nothing any more (the dashboard's STALE). */
    private static final Duration ALIVE = Duration.ofSeconds(30);

    private record Snapshot(List<Model> models, Map<UUID, List<String>> defaults, List<WorkerNode> workers) {
    }

    private final ModelRegistry registry;
    private final AdminActions actions;
    private final LiveTable<Model> table = new LiveTable<>("models", "No model is registered.");
    private final ModelDetails details = new ModelDetails(this::select);
    private Snapshot shown = new Snapshot(List.of(), Map.of(), List.of());
    private UUID selected;

    public ModelsView(ModelRegistry registry, WorkerRegistry workers, AdminActions actions, BackgroundWork work,
                      ModelsConfig models, Refresher refresher) {
        this.registry = registry;
        this.actions = actions;
        columns();
        add(new H2("Models"), new BundleRegistration(registry, actions, work, models.maxBundleBytes()), details, table);
        // the view is as tall as the window: with many versions listed, the grid took the details' height and clipped
        // them to their first line (a browser test saw only the version buttons); the details keep their height
        setFlexShrink(0, details);
        refresher.follow(this, () -> new Snapshot(registry.list(), registry.tenantDefaults(), workers.list()),
                this::show);
    }

    private void columns() {
        table.text("Model", Model::name)
                .text("Version", Model::version)
                .text("Engine", m -> m.manifest().engine())
                .component("Status", ModelsView::status)
                .text("Manifest", m -> manifest(m.manifest()))
                .text("Default of", m -> String.join(", ", shown.defaults().getOrDefault(m.id(), List.of())))
                .text("Served by", this::servedBy)
                .text("Registered", m -> Format.instant(m.createdAt()))
                .component("", this::detailsButton)
                .component("", this::retireButton);
    }

    private void show(Snapshot snapshot) {
        shown = snapshot;
        table.show(snapshot.models());
        showDetails();
    }

    /** Opens a version's details ({@code null} closes them). */
    private void select(UUID modelId) {
        selected = modelId;
        showDetails();
    }

    private void showDetails() {
        shown.models().stream().filter(m -> m.id().equals(selected)).findFirst().ifPresentOrElse(model ->
                details.show(model, new ModelDetails.Context(
                        shown.models().stream().filter(m -> m.name().equals(model.name())).toList(),
                        shown.defaults().getOrDefault(model.id(), List.of()), servedBy(model))),
                details::hide);
    }

    static String statusText(Model model) {
        return switch (model.status()) {
            case VALIDATING -> "validating for " + Format.seconds(Duration.between(model.createdAt(), Instant.now())
                    .toSeconds()) + " (a worker runs its smoke inference)";
            case FAILED -> "failed: " + model.failureReason();
            case READY -> "ready since " + Format.instant(model.readyAt());
            case RETIRED -> "retired";
        };
    }

    private static Component status(Model model) {
        Span status = new Span(statusText(model));
        status.setId("model-status-" + model.id());
        if (model.status() == ModelStatus.FAILED) {
            status.getStyle().set("color", "var(--lumo-error-text-color)");
        }
        return status;
    }

    private static String manifest(ModelManifest m) {
        return m.kind() + ", " + (m.fused() ? output(m.output())
                : m.embeddingDim() + " dims" + (m.normalize() ? " (normalized)" : "")) + ", "
                + m.precision() + (m.image() == null ? "" : ", image " + m.image().cropSize() + " px " + m.image().colorMode())
                + (m.text() == null ? "" : ", text " + m.text().contextLength() + " tokens") + ", license " + m.license();
    }

    /** A fused model's answer: its labels (the first few named) or its score's name. */
    static String output(ModelManifest.Output output) {
        if (ModelManifest.Output.SCORE.equals(output.type())) {
            return "score “" + output.name() + "”";
        }
        List<String> labels = output.labels();
        return labels.size() + " labels (" + String.join(", ", labels.subList(0, Math.min(5, labels.size())))
                + (labels.size() > 5 ? ", …)" : ")");
    }

    private String servedBy(Model model) {
        Instant aliveSince = Instant.now().minus(ALIVE);
        return shown.workers().stream()
                .filter(w -> w.serves(model.id()) && !"stopped".equals(w.status()) && w.heartbeatAt().isAfter(aliveSince))
                .map(w -> w.host() + " (pid " + w.pid() + ")").collect(Collectors.joining(", "));
    }

    private Button detailsButton(Model model) {
        Button open = new Button("Details", e -> select(model.id()));
        open.setId("details-" + model.id());
        open.addThemeVariants(ButtonVariant.SMALL, ButtonVariant.TERTIARY);
        return open;
    }

    private Button retireButton(Model model) {
        Button retire = new Button("Retire", e -> {
            if (Feedback.attempt(() -> actions.perform("model.retire", "model " + model.reference(), null, () -> {
                registry.retire(model.id());
                return model.id();
            }))) {
                Feedback.done(model.reference() + " is retired: workers unload it and requests naming it are refused.");
            }
        });
        retire.setId("retire-" + model.id());
        retire.addThemeVariants(ButtonVariant.SMALL, ButtonVariant.ERROR);
        retire.setEnabled(model.status() != ModelStatus.RETIRED);
        return retire;
    }
}
