package io.montage.console.evaluations;

import io.montage.console.live.LiveTable;
import io.montage.console.navigation.Format;
import io.montage.jobs.contracts.EvaluateJob;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** A run's metrics and cost, one row per number and one column per model: the run's models side by side. */
final class MetricsTable {

    private record Row(String metric, Function<ModelOutcome, String> value) {
    }

    private MetricsTable() {
    }

    static LiveTable<Row> of(RunResults results) {
        LiveTable<Row> table = new LiveTable<>("run-metrics", "");
        table.text("Metric", Row::metric);
        for (ModelOutcome m : results.models()) {
            table.text(m.modelRef(), row -> m.measured() ? row.value().apply(m) : "failed");
        }
        table.show(rows(results.run().task()));
        return table;
    }

    private static List<Row> rows(String task) {
        List<Row> rows = new ArrayList<>();
        if (EvaluateJob.ZERO_SHOT.equals(task)) {
            rows.add(new Row("top-1 accuracy", m -> share(m.metric("top1_accuracy"))));
            rows.add(new Row("top-5 accuracy", m -> share(m.metric("top5_accuracy"))));
            for (String average : List.of("macro", "weighted")) {
                for (String metric : List.of("precision", "recall", "f1")) {
                    rows.add(new Row(average + " " + metric, m -> share(ModelOutcome.number(
                            ModelOutcome.section(m.results(), average).get(metric)))));
                }
            }
        } else {
            for (String direction : List.of("image_to_text", "text_to_image")) {
                String name = direction.equals("image_to_text") ? "image → text" : "text → image";
                for (String k : List.of("1", "5", "10")) {
                    rows.add(new Row(name + " recall@" + k, m -> share(ModelOutcome.number(ModelOutcome.section(
                            m.direction(direction), "recall_at_k").get(k)))));
                }
                rows.add(new Row(name + " median rank", m -> decimal(ModelOutcome.number(
                        m.direction(direction).get("median_rank")), 1)));
                rows.add(new Row(name + " MRR", m -> share(ModelOutcome.number(m.direction(direction).get("mrr")))));
            }
        }
        rows.add(new Row("items/s", m -> decimal(m.cost("items_per_second"), 1)));
        rows.add(new Row("batch latency p50 (ms)", m -> decimal(m.cost("batch_latency_ms_p50"), 1)));
        rows.add(new Row("batch latency p99 (ms)", m -> decimal(m.cost("batch_latency_ms_p99"), 1)));
        rows.add(new Row("peak heap", m -> bytes(m.cost("peak_heap_bytes"))));
        rows.add(new Row("peak RSS", m -> bytes(m.cost("peak_rss_bytes"))));
        rows.add(new Row("weights", m -> bytes(m.cost("model_bytes"))));
        return rows;
    }

    /** A metric in [0, 1] to four places, as docs/evaluation.md quotes them; "—" when undefined. */
    static String share(Double value) {
        return decimal(value, 4);
    }

    static String decimal(Double value, int places) {
        return value == null ? "—" : String.format(Locale.ROOT, "%." + places + "f", value);
    }

    static String bytes(Double value) {
        return value == null ? "—" : Format.bytes(value.longValue());
    }
}
