package io.montage.evaluation.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Classification metrics from per-class scores: top-k accuracy, per-class precision / recall / F1 with macro and
 * weighted averages, and the confusion matrix, all under the tie rule of {@link Ranks}. Any score that orders the
 * classes will do (cosines, logits, probabilities): only the order counts.
 */
public final class Classification {

    /** The k of the top-k accuracies a zero-shot evaluation reports. */
    public static final int[] DEFAULT_K = {1, 5};

    private Classification() {
    }

    /**
     * @param scores {@code scores[i][c]}: example i's score for class c; every row has one score per class
     * @param labels {@code labels[i]}: example i's true class
     * @param ks     the k of the top-k accuracies (each &ge; 1; a k at or above the class count gives 1.0)
     */
    public static ClassificationReport evaluate(double[][] scores, int[] labels, int... ks) {
        if (scores.length == 0 || scores.length != labels.length) {
            throw new IllegalArgumentException(scores.length + " score rows for " + labels.length
                    + " labels: both must be the same, non-zero count");
        }
        int classes = scores[0].length;
        long[] withinK = new long[ks.length];
        for (int k : ks) {
            if (k < 1) {
                throw new IllegalArgumentException("top-k needs k >= 1, not " + k);
            }
        }
        int[] predicted = new int[scores.length];
        for (int i = 0; i < scores.length; i++) {
            if (scores[i].length != classes) {
                throw new IllegalArgumentException("row " + i + " has " + scores[i].length + " scores, row 0 has "
                        + classes);
            }
            int truth = ConfusionMatrix.checked(labels[i], classes);
            int rank = Ranks.of(scores[i], truth);
            for (int j = 0; j < ks.length; j++) {
                withinK[j] += rank <= ks[j] ? 1 : 0;
            }
            predicted[i] = Ranks.predicted(scores[i], truth);
        }
        SortedMap<Integer, Double> topK = new TreeMap<>();
        for (int j = 0; j < ks.length; j++) {
            topK.put(ks[j], withinK[j] / (double) scores.length);
        }
        ConfusionMatrix confusion = ConfusionMatrix.of(labels, predicted, classes);
        List<ClassMetrics> perClass = new ArrayList<>(classes);
        for (int c = 0; c < classes; c++) {
            perClass.add(ClassMetrics.of(confusion, c));
        }
        return new ClassificationReport(scores.length, confusion.correct() / (double) scores.length,
                Collections.unmodifiableSortedMap(topK), List.copyOf(perClass), Averages.macro(perClass),
                Averages.weighted(perClass), confusion);
    }
}
