package io.montage.evaluation.metrics;

import java.util.List;

/**
 * Precision, recall and F1 averaged over the classes that have examples (support &gt; 0): a class absent from the
 * dataset says nothing about the model's recall on it, so it takes no part. Macro: each such class counts once.
 * Weighted: each counts by its support (so weighted recall equals top-1 accuracy). The F1 average is the average of
 * the per-class F1 values, not the F1 of the averaged precision and recall.
 */
public record Averages(double precision, double recall, double f1) {

    static Averages macro(List<ClassMetrics> classes) {
        return average(classes, false);
    }

    static Averages weighted(List<ClassMetrics> classes) {
        return average(classes, true);
    }

    private static Averages average(List<ClassMetrics> classes, boolean bySupport) {
        double p = 0;
        double r = 0;
        double f = 0;
        double weights = 0;
        for (ClassMetrics c : classes) {
            if (c.support() == 0) {
                continue;
            }
            double w = bySupport ? c.support() : 1;
            p += w * c.precision();
            r += w * c.recall();
            f += w * c.f1();
            weights += w;
        }
        if (weights == 0) {
            throw new IllegalArgumentException("no class has examples: averages are undefined");
        }
        return new Averages(p / weights, r / weights, f / weights);
    }
}
