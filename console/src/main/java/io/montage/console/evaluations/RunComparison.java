package io.montage.console.evaluations;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import io.montage.console.live.LiveTable;
import io.montage.evaluation.runs.EvalRun;
import io.montage.evaluation.runs.Pareto;
import io.montage.jobs.contracts.EvaluateJob;
import io.montage.json.JsonCodec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Finished runs side by side, one row per model of each: the headline metrics and the cost. In each column the best
 * value is bold, and a value that differs from the first row of its task shows by how much (green better, red
 * worse). Models on the Pareto front of quality (top-1 accuracy, or image→text recall@1) × items/s × memory (peak
 * RSS, and the model's weights where recorded) are starred, per task ({@link Pareto}).
 */
final class RunComparison extends VerticalLayout {

    /** Runs compared at once: a table wider than this is read by downloading the CSVs. */
    static final int MAX_RUNS = 8;

    /** A column: a gate metric or a cost number, and which way is better. */
    record Column(String header, String metric, boolean cost, boolean higherIsBetter, String task) {

        Double value(ModelOutcome m) {
            return cost ? m.cost(metric) : m.metric(metric);
        }
    }

    /** One model of one compared run, and whether it is on its task's Pareto front. */
    record Row(EvalRun run, String dataset, ModelOutcome model, boolean pareto) {
    }

    static final List<Column> COLUMNS = List.of(
            new Column("top-1", "top1_accuracy", false, true, EvaluateJob.ZERO_SHOT),
            new Column("top-5", "top5_accuracy", false, true, EvaluateJob.ZERO_SHOT),
            new Column("macro F1", "macro_f1", false, true, EvaluateJob.ZERO_SHOT),
            new Column("weighted F1", "weighted_f1", false, true, EvaluateJob.ZERO_SHOT),
            new Column("image→text R@1", "image_to_text_recall_at_1", false, true, EvaluateJob.RETRIEVAL),
            new Column("image→text R@10", "image_to_text_recall_at_10", false, true, EvaluateJob.RETRIEVAL),
            new Column("image→text MRR", "image_to_text_mrr", false, true, EvaluateJob.RETRIEVAL),
            new Column("text→image R@1", "text_to_image_recall_at_1", false, true, EvaluateJob.RETRIEVAL),
            new Column("text→image MRR", "text_to_image_mrr", false, true, EvaluateJob.RETRIEVAL),
            new Column("items/s", "items_per_second", true, true, null),
            new Column("peak RSS", "peak_rss_bytes", true, false, null),
            new Column("weights", "model_bytes", true, false, null));

    private final JsonCodec json;
    private final List<EvalRun> runs = new ArrayList<>();
    private final VerticalLayout table = new VerticalLayout();

    RunComparison(JsonCodec json) {
        this.json = json;
        setId("run-comparison");
        setPadding(false);
        setVisible(false);
        table.setPadding(false);
        Button clear = new Button("Clear comparison", e -> clear());
        clear.setId("clear-comparison");
        clear.addThemeVariants(ButtonVariant.SMALL, ButtonVariant.TERTIARY);
        HorizontalLayout head = new HorizontalLayout(new H3("Comparison"), clear);
        head.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        add(head, table);
    }

    /** Adds a finished run (once); false when it is there already or the comparison is full. */
    boolean add(EvalRun run) {
        if (runs.stream().anyMatch(r -> r.id().equals(run.id())) || runs.size() >= MAX_RUNS) {
            return false;
        }
        runs.add(run);
        table.removeAll();
        table.add(table(rows(runs, json)));
        setVisible(true);
        return true;
    }

    private void clear() {
        runs.clear();
        table.removeAll();
        setVisible(false);
    }

    /** The compared models in order, each marked when it is on its task's Pareto front. */
    static List<Row> rows(List<EvalRun> runs, JsonCodec json) {
        List<EvalRun> order = new ArrayList<>();
        List<ModelOutcome> models = new ArrayList<>();
        for (EvalRun run : runs) {
            run.models().forEach(m -> {
                order.add(run);
                models.add(ModelOutcome.of(m, json));
            });
        }
        boolean[] front = new boolean[models.size()];
        for (String task : Pareto.QUALITY.keySet()) {
            List<Integer> of = new ArrayList<>();
            for (int i = 0; i < models.size(); i++) {
                if (order.get(i).task().equals(task)) {
                    of.add(i);
                }
            }
            boolean[] best = Pareto.front(of.stream()
                    .map(i -> Pareto.Point.of(task, models.get(i).results(), models.get(i).cost())).toList());
            for (int j = 0; j < of.size(); j++) {
                front[of.get(j)] = best[j];
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            Map<?, ?> record = json.read(order.get(i).recordJson(), Map.class);
            rows.add(new Row(order.get(i), record.get("dataset") + " v" + record.get("dataset_version"),
                    models.get(i), front[i]));
        }
        return rows;
    }

    private static LiveTable<Row> table(List<Row> rows) {
        LiveTable<Row> out = new LiveTable<>("comparison", "");
        out.text("Run", r -> r.run().id().toString().substring(0, 8))
                .text("Dataset", Row::dataset)
                .text("Model", r -> r.model().modelRef())
                .component("Pareto-best", r -> {
                    Span mark = new Span(r.pareto() ? "★ Pareto-best" : "");
                    mark.setId("pareto-" + r.run().id() + "-" + r.model().position());
                    return mark;
                });
        Map<String, Row> baselines = new LinkedHashMap<>();
        rows.forEach(r -> baselines.putIfAbsent(r.run().task(), r));
        List<String> tasks = rows.stream().map(r -> r.run().task()).distinct().toList();
        for (Column column : COLUMNS) {
            if (column.task() != null && !tasks.contains(column.task())) {
                continue;
            }
            out.component(column.header(), r -> cell(column, r, baselines.get(r.run().task()), rows));
        }
        out.show(rows);
        return out;
    }

    private static Component cell(Column column, Row row, Row baseline, List<Row> rows) {
        Double value = column.value(row.model());
        Span cell = new Span(format(column, value));
        if (value == null) {
            return cell;
        }
        Double best = rows.stream().filter(r -> column.cost() || r.run().task().equals(row.run().task()))
                .map(r -> column.value(r.model())).filter(Objects::nonNull)
                .reduce((a, b) -> column.higherIsBetter() == (a >= b) ? a : b).orElse(null);
        if (value.equals(best)) {
            cell.getStyle().set("font-weight", "700");
        }
        Double base = baseline == row ? null : column.value(baseline.model());
        if (base != null && !base.equals(value)) {
            boolean better = column.higherIsBetter() == value > base;
            Span delta = new Span(" (" + (value > base ? "+" : "−") + format(column, Math.abs(value - base)) + ")");
            delta.getStyle().set("color", better ? "var(--lumo-success-text-color)" : "var(--lumo-error-text-color)");
            delta.addClassName(better ? "better" : "worse");
            cell.add(delta);
            cell.getStyle().set("background", better ? "var(--lumo-success-color-10pct)"
                    : "var(--lumo-error-color-10pct)");
        }
        return cell;
    }

    private static String format(Column column, Double value) {
        return switch (column.metric()) {
            case "items_per_second" -> MetricsTable.decimal(value, 1);
            case "peak_rss_bytes", "model_bytes" -> MetricsTable.bytes(value);
            default -> MetricsTable.share(value);
        };
    }
}
