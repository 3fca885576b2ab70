package io.montage.console.evaluations;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextArea;
import io.montage.console.access.AdminActions;
import io.montage.console.access.Feedback;
import io.montage.datasets.Dataset;
import io.montage.datasets.DatasetKind;
import io.montage.datasets.DatasetSpace;
import io.montage.datasets.DatasetVersion;
import io.montage.datasets.Datasets;
import io.montage.evaluation.runs.EvalRun;
import io.montage.evaluation.runs.EvalRuns;
import io.montage.jobs.contracts.EvaluateJob;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.tenants.Tenant;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Starts a run for the view's tenant: ready models, a dataset version (the tenant's, or the shared space's unless
 * the tenant has one of the same name, which a run would read instead), the task and the prompt templates. Starting
 * is an audited admin change, named as {@code admin evaluate} names it.
 */
final class RunForm extends VerticalLayout {

    /** A dataset's newest version as the form offers it. */
    record Choice(Dataset dataset, DatasetVersion version, boolean shared) {

        String label() {
            return dataset.name() + " v" + version.number() + " (" + (shared ? "shared" : "tenant") + ", "
                    + dataset.kind().wireName() + ", " + version.entryCount() + " entries)";
        }
    }

    /** What EvalRuns accepts at most (100 templates of 300 characters) with their line breaks. */
    private static final int MAX_TEMPLATE_CHARACTERS = 100 * 301;

    private final EvalRuns runs;
    private final ModelRegistry registry;
    private final Datasets datasets;
    private final AdminActions actions;
    private final Consumer<EvalRun> started;
    private final MultiSelectComboBox<Model> models = new MultiSelectComboBox<>("Models");
    private final ComboBox<Choice> dataset = new ComboBox<>("Dataset");
    private final Select<String> task = new Select<>();
    private final TextArea templates = new TextArea("Prompt templates");
    private Tenant tenant;

    RunForm(EvalRuns runs, ModelRegistry registry, Datasets datasets, AdminActions actions,
            Consumer<EvalRun> started) {
        this.runs = runs;
        this.registry = registry;
        this.datasets = datasets;
        this.actions = actions;
        this.started = started;
        setPadding(false);
        models.setId("run-models");
        models.setItemLabelGenerator(Model::reference);
        models.setWidth("24em");
        dataset.setId("run-dataset");
        dataset.setItemLabelGenerator(Choice::label);
        dataset.setWidth("30em");
        dataset.addValueChangeListener(e -> {
            if (e.getValue() != null) {
                task.setValue(e.getValue().dataset().kind() == DatasetKind.RETRIEVAL ? EvaluateJob.RETRIEVAL
                        : EvaluateJob.ZERO_SHOT);
            }
        });
        task.setId("run-task");
        task.setLabel("Task");
        task.setItems(EvaluateJob.ZERO_SHOT, EvaluateJob.RETRIEVAL);
        task.setValue(EvaluateJob.ZERO_SHOT);
        task.addValueChangeListener(e -> templates.setEnabled(EvaluateJob.ZERO_SHOT.equals(e.getValue())));
        templates.setId("run-templates");
        templates.setMaxLength(MAX_TEMPLATE_CHARACTERS);
        templates.setWidth("30em");
        templates.setPlaceholder("a photo of a {}.");
        templates.setHelperText("One a line, {} where the label goes; empty: the first model's manifest's");
        Button start = new Button("Start run", e -> start());
        start.setId("start-run");
        start.addThemeVariants(ButtonVariant.PRIMARY);
        HorizontalLayout what = new HorizontalLayout(models, dataset, task);
        what.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        HorizontalLayout how = new HorizontalLayout(templates, start);
        how.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        add(new H3("New run"), what, how);
    }

    /** Offers what {@code owner} may evaluate: the ready models and its datasets and the shared ones. */
    void offer(Tenant owner) {
        tenant = owner;
        models.setItems(registry.ready());
        List<Choice> choices = new ArrayList<>(choices(DatasetSpace.of(owner.id()), false));
        Set<String> own = choices.stream().map(c -> c.dataset().name()).collect(Collectors.toSet());
        choices(DatasetSpace.SHARED, true).stream().filter(c -> !own.contains(c.dataset().name()))
                .forEach(choices::add);
        choices.sort(Comparator.comparing(c -> c.dataset().name()));
        dataset.setItems(choices);
    }

    private List<Choice> choices(DatasetSpace space, boolean shared) {
        List<Choice> out = new ArrayList<>();
        for (Dataset d : datasets.list(space)) {
            datasets.versions(d).stream().findFirst().ifPresent(v -> out.add(new Choice(d, v, shared)));
        }
        return out;
    }

    private void start() {
        if (tenant == null || models.getValue().isEmpty() || dataset.getValue() == null) {
            Feedback.error("Pick the models and the dataset to evaluate.");
            return;
        }
        Choice choice = dataset.getValue();
        List<Model> chosen = models.getValue().stream().sorted(Comparator.comparing(Model::reference)).toList();
        String taskName = task.getValue();
        List<String> prompts = EvaluateJob.ZERO_SHOT.equals(taskName) ? templates.getValue().lines()
                .map(String::strip).filter(t -> !t.isEmpty()).toList() : List.of();
        Tenant owner = tenant;
        EvalRun[] run = new EvalRun[1];
        if (Feedback.attempt(() -> run[0] = actions.perform("evaluation.start", "tenant " + owner.slug(),
                "dataset " + choice.dataset().name() + "@v" + choice.version().number() + ", task " + taskName
                        + ", models " + chosen.stream().map(Model::reference).collect(Collectors.joining(",")),
                () -> runs.start(owner.id(), choice.dataset().name(), choice.version().number(), taskName, chosen,
                        prompts)))) {
            Feedback.done("Run " + run[0].id() + " started: " + chosen.size() + " model(s) on "
                    + choice.dataset().name() + " v" + choice.version().number() + ".");
            started.accept(run[0]);
        }
    }
}
