package io.montage.console.evaluations;

import io.montage.console.charts.Svg;
import io.montage.evaluation.runs.EvalRun;
import io.montage.evaluation.runs.EvalRunExamples;
import io.montage.jobs.contracts.EvaluateJob;
import io.montage.json.JsonCodec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A finished run's results as the detail shows them, prepared off the UI thread (the refresh thread): each model's
 * numbers, its charts as {@code data:} URLs and its worst-classified entries. Built once per finished run.
 *
 * @param worst per model position: its worst entries, or empty when its job (with the outcomes) has expired
 */
record RunResults(EvalRun run, List<String> classes, List<ModelOutcome> models, Map<Integer, String> heatMaps,
                  Map<Integer, String> perClassBars, String recallCurves,
                  Map<Integer, Optional<List<EvalRunExamples.Example>>> worst) {

    /** Worst-classified entries shown per model. */
    static final int WORST = 12;
    /**
     * Classes up to which the matrix is drawn and tabled and the per-class bars drawn: a run of 1,000 classes would
     * be a million cells on the page; its numbers are in the downloads.
     */
    static final int DRAWN_CLASSES = 100;
    static final int HEAT_MAP_WIDTH = 620;
    static final int BARS_WIDTH = 620;

    static RunResults of(EvalRun run, JsonCodec json, EvalRunExamples examples) {
        List<String> classes = run.classes(json);
        List<ModelOutcome> models = run.models().stream().map(m -> ModelOutcome.of(m, json)).toList();
        Map<Integer, String> heatMaps = new LinkedHashMap<>();
        Map<Integer, String> bars = new LinkedHashMap<>();
        Map<Integer, Optional<List<EvalRunExamples.Example>>> worst = new LinkedHashMap<>();
        Map<String, Map<Integer, Double>> curves = new LinkedHashMap<>();
        boolean zeroShot = EvaluateJob.ZERO_SHOT.equals(run.task());
        for (int i = 0; i < models.size(); i++) {
            ModelOutcome m = models.get(i);
            if (!m.measured()) {
                continue;
            }
            if (zeroShot) {
                if (drawn(classes)) {
                    // cells of 34 px for a few classes, smaller for many, so the picture stays under ~1,600 px
                    int side = 160 + classes.size() * Math.max(14, Math.min(34, 1400 / classes.size()));
                    heatMaps.put(m.position(), Svg.dataUrl(Svg.of(EvalCharts.confusion(classes, m.confusion()),
                            Math.max(HEAT_MAP_WIDTH, side), side)));
                    bars.put(m.position(), Svg.dataUrl(Svg.of(EvalCharts.perClass(perClass(m), classes),
                            BARS_WIDTH, 90 + 30 * classes.size())));
                }
                worst.put(m.position(), examples.worst(run, run.models().get(i), WORST));
            } else {
                for (String direction : List.of("image_to_text", "text_to_image")) {
                    curves.put(m.modelRef() + " · " + direction.replace('_', ' '), recallAtK(m, direction));
                }
            }
        }
        String recall = curves.isEmpty() ? null
                : Svg.dataUrl(Svg.of(EvalCharts.recallCurves(curves), HEAT_MAP_WIDTH, 320));
        return new RunResults(run, classes, models, heatMaps, bars, recall, worst);
    }

    static boolean drawn(List<String> classes) {
        return classes.size() <= DRAWN_CLASSES;
    }

    private static Map<String, List<Double>> perClass(ModelOutcome m) {
        Map<String, List<Double>> out = new LinkedHashMap<>();
        for (String metric : List.of("precision", "recall", "f1")) {
            // an empty class's recall and F1 are undefined: no bar rather than a bar at 0
            out.put(metric, m.perClass().stream().map(c -> ModelOutcome.number(c.get(metric))).toList());
        }
        return out;
    }

    static Map<Integer, Double> recallAtK(ModelOutcome m, String direction) {
        Map<Integer, Double> points = new LinkedHashMap<>();
        ModelOutcome.section(m.direction(direction), "recall_at_k")
                .forEach((k, v) -> points.put(Integer.parseInt(k), ModelOutcome.number(v)));
        return points;
    }
}
