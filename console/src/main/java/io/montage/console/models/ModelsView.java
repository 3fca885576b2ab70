package io.montage.console.models;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.micronaut.context.annotation.Prototype;
import io.montage.console.access.AdminActions;
import io.montage.console.access.Feedback;
import io.montage.console.live.LiveTable;
import io.montage.console.live.Refresher;
import io.montage.console.navigation.Format;
import io.montage.console.navigation.MainLayout;
import io.montage.models.Model;
import io.montage.models.ModelManifest;
import io.montage.models.ModelRegistry;
import io.montage.models.ModelStatus;
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
 * bundle from a path on the console's machine, retire a version.
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
    private Snapshot shown = new Snapshot(List.of(), Map.of(), List.of());

    public ModelsView(ModelRegistry registry, WorkerRegistry workers, AdminActions actions, Refresher refresher) {
        this.registry = registry;
        this.actions = actions;
        columns();
        add(new H2("Models"), registerForm(), table);
        refresher.follow(this, () -> new Snapshot(registry.list(), registry.tenantDefaults(), workers.list()),
                this::show);
    }

    private HorizontalLayout registerForm() {
        TextField source = new TextField("Bundle to register");
        source.setHelperText("a directory, .zip or .tar.gz on the console's machine, or an http(s) URL");
        source.setId("model-source");
        source.setWidth("40em");
        Button register = new Button("Register", e -> {
            if (register(source.getValue().strip())) {
                source.clear();
            }
        });
        register.setId("register-model");
        register.addThemeVariants(ButtonVariant.PRIMARY);
        HorizontalLayout form = new HorizontalLayout(source, register);
        form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        return form;
    }

    /** Verifies and stores the bundle now (in the request: a large bundle takes a while), then a worker validates it. */
    private boolean register(String source) {
        Model[] registered = new Model[1];
        if (Feedback.attempt(() -> registered[0] = actions.perform("model.register", "bundle " + source, null,
                () -> registry.register(source)))) {
            Feedback.done(registered[0].reference() + " is registered (" + registered[0].status().wireName()
                    + "): a worker runs its smoke inference before it serves.");
            return true;
        }
        return false;
    }

    private void columns() {
        table.text("Model", Model::name)
                .text("Version", Model::version)
                .component("Status", ModelsView::status)
                .text("Manifest", m -> manifest(m.manifest()))
                .text("Default of", m -> String.join(", ", shown.defaults().getOrDefault(m.id(), List.of())))
                .text("Served by", this::servedBy)
                .text("Registered", m -> Format.instant(m.createdAt()))
                .component("", this::retireButton);
    }

    private void show(Snapshot snapshot) {
        shown = snapshot;
        table.show(snapshot.models());
    }

    private static Component status(Model model) {
        Span status = new Span(switch (model.status()) {
            case VALIDATING -> "validating for " + Format.seconds(Duration.between(model.createdAt(), Instant.now())
                    .toSeconds()) + " (a worker runs its smoke inference)";
            case FAILED -> "failed: " + model.failureReason();
            case READY -> "ready since " + Format.instant(model.readyAt());
            case RETIRED -> "retired";
        });
        status.setId("model-status-" + model.id());
        if (model.status() == ModelStatus.FAILED) {
            status.getStyle().set("color", "var(--lumo-error-text-color)");
        }
        return status;
    }

    private static String manifest(ModelManifest m) {
        return m.kind() + ", " + m.embeddingDim() + " dims" + (m.normalize() ? " (normalized)" : "") + ", "
                + m.precision() + (m.image() == null ? "" : ", image " + m.image().cropSize() + " px " + m.image().colorMode())
                + (m.text() == null ? "" : ", text " + m.text().contextLength() + " tokens") + ", license " + m.license();
    }

    private String servedBy(Model model) {
        Instant aliveSince = Instant.now().minus(ALIVE);
        return shown.workers().stream()
                .filter(w -> w.serves(model.id()) && !"stopped".equals(w.status()) && w.heartbeatAt().isAfter(aliveSince))
                .map(w -> w.host() + " (pid " + w.pid() + ")").collect(Collectors.joining(", "));
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
