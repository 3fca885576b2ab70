package io.montage.evaluation.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Hand-computed examples: every expected number below is worked out in the comments. */
class ClassificationTest {

    private static final double EPS = 1e-12;

    /**
     * Four classes; class 2 has two examples but is never predicted; class 3 has none (support 0). Ranks of the
     * truth: 1, 2, 1, 2, 2, 3.
     */
    @Test
    void aClassNeverPredictedAndAnEmptyClass() {
        double[][] scores = {
                {0.9, 0.1, 0.0, 0.0}, // truth 0 -> predicted 0, rank 1
                {0.2, 0.7, 0.1, 0.0}, // truth 0 -> 1, rank 2
                {0.1, 0.8, 0.1, 0.0}, // truth 1 -> 1, rank 1
                {0.6, 0.3, 0.1, 0.0}, // truth 1 -> 0, rank 2
                {0.5, 0.2, 0.3, 0.0}, // truth 2 -> 0, rank 2
                {0.1, 0.6, 0.2, 0.3}, // truth 2 -> 1, rank 3
        };
        int[] labels = {0, 0, 1, 1, 2, 2};
        ClassificationReport r = Classification.evaluate(scores, labels, 1, 2, 5);

        assertEquals(6, r.examples());
        assertEquals(2 / 6.0, r.accuracy(), EPS);
        assertEquals(Map.of(1, 2 / 6.0, 2, 5 / 6.0, 5, 1.0), new TreeMap<>(r.topK()), "k = 5 > 4 classes: 1.0");
        assertEquals(List.of(List.of(1L, 1L, 0L, 0L), List.of(1L, 1L, 0L, 0L), List.of(1L, 1L, 0L, 0L),
                List.of(0L, 0L, 0L, 0L)), r.confusion().rows());

        // classes 0 and 1: 1 right of 3 predictions, 1 found of 2 -> P 1/3, R 1/2, F1 2(1/6)/(5/6) = 2/5
        for (int c = 0; c < 2; c++) {
            ClassMetrics m = r.perClass().get(c);
            assertEquals(2, m.support());
            assertEquals(3, m.predictions());
            assertEquals(1 / 3.0, m.precision(), EPS);
            assertEquals(0.5, m.recall(), EPS);
            assertEquals(0.4, m.f1(), EPS);
        }
        ClassMetrics neverPredicted = r.perClass().get(2);
        assertEquals(0.0, neverPredicted.precision(), "has examples, found none: precision 0, not undefined");
        assertEquals(0.0, neverPredicted.recall());
        assertEquals(0.0, neverPredicted.f1());
        ClassMetrics empty = r.perClass().get(3);
        assertEquals(0, empty.support());
        assertNull(empty.precision(), "never predicted, no examples: undefined");
        assertNull(empty.recall());
        assertNull(empty.f1());

        // averaged over classes 0..2 (class 3 has no examples): P (1/3+1/3+0)/3, R (1/2+1/2+0)/3, F1 0.8/3
        assertClose(new Averages(2 / 9.0, 1 / 3.0, 0.8 / 3), r.macro());
        assertClose(r.macro(), r.weighted()); // equal supports: weighted = macro
    }

    @Test
    void weightedAveragesWeighBySupportAndWeightedRecallIsAccuracy() {
        double[][] scores = {{1, 0}, {1, 0}, {0, 1}, {0, 1}};
        int[] labels = {0, 0, 0, 1};
        ClassificationReport r = Classification.evaluate(scores, labels, 1);
        // confusion [[2, 1], [0, 1]]; class 0: P 2/2, R 2/3, F1 0.8; class 1: P 1/2, R 1, F1 2/3
        assertEquals(List.of(List.of(2L, 1L), List.of(0L, 1L)), r.confusion().rows());
        assertEquals(0.8, r.perClass().get(0).f1(), EPS);
        assertEquals(2 / 3.0, r.perClass().get(1).f1(), EPS);
        assertClose(new Averages(0.75, 5 / 6.0, (0.8 + 2 / 3.0) / 2), r.macro());
        // weights 3 and 1: P (3*1 + 0.5)/4, R (3*2/3 + 1)/4 = 3/4, F1 (3*0.8 + 2/3)/4 = 23/30
        assertClose(new Averages(0.875, 0.75, 23 / 30.0), r.weighted());
        assertEquals(r.accuracy(), r.weighted().recall(), EPS);
    }

    @Test
    void tiesNeverHelpTheModel() {
        double[][] same = {{0.5, 0.5, 0.5}, {0.5, 0.5, 0.5}, {0.5, 0.5, 0.5}};
        ClassificationReport r = Classification.evaluate(same, new int[]{0, 1, 2}, 1, 2, 3);
        assertEquals(0.0, r.accuracy(), "a constant model is right about nothing, not a third by position");
        assertEquals(Map.of(1, 0.0, 2, 0.0, 3, 1.0), new TreeMap<>(r.topK()));
        // truth 0 -> the other tied class of lowest index (1); truths 1 and 2 -> 0
        assertEquals(List.of(List.of(0L, 1L, 0L), List.of(1L, 0L, 0L), List.of(1L, 0L, 0L)), r.confusion().rows());
        assertEquals(r.topK().get(1), r.confusion().correct() / 3.0, "the diagonal agrees with top-1");
    }

    @Test
    void oneClassData() {
        ClassificationReport single = Classification.evaluate(new double[][]{{0.3}, {0.7}}, new int[]{0, 0}, 1, 5);
        assertEquals(1.0, single.accuracy());
        assertEquals(Map.of(1, 1.0, 5, 1.0), new TreeMap<>(single.topK()));
        assertEquals(new Averages(1, 1, 1), single.macro());
        assertEquals(new Averages(1, 1, 1), single.weighted());
        assertEquals(List.of(List.of(2L)), single.confusion().rows());

        // one class present of three; one of its two examples predicted as class 2
        ClassificationReport r = Classification.evaluate(new double[][]{{0.9, 0.1, 0.0}, {0.1, 0.2, 0.7}},
                new int[]{0, 0}, 1);
        ClassMetrics present = r.perClass().get(0);
        assertEquals(List.of(2L, 1L, 1L), List.of(present.support(), present.predictions(), present.correct()));
        assertEquals(1.0, present.precision(), EPS);
        assertEquals(0.5, present.recall(), EPS);
        assertEquals(2 / 3.0, present.f1(), EPS);
        assertEquals(new ClassMetrics(1, 0, 0, 0, null, null, null), r.perClass().get(1));
        assertEquals(new ClassMetrics(2, 0, 1, 0, 0.0, null, null), r.perClass().get(2),
                "predicted but absent: every prediction wrong, recall undefined");
        assertClose(new Averages(1, 0.5, 2 / 3.0), r.macro()); // only class 0 is averaged
    }

    @Test
    void badInputIsRefused() {
        double[][] two = {{0.1, 0.9}};
        assertThrows(IllegalArgumentException.class, () -> Classification.evaluate(two, new int[]{2}, 1));
        assertThrows(IllegalArgumentException.class, () -> Classification.evaluate(two, new int[]{-1}, 1));
        assertThrows(IllegalArgumentException.class, () -> Classification.evaluate(two, new int[]{0, 1}, 1));
        assertThrows(IllegalArgumentException.class, () -> Classification.evaluate(two, new int[]{0}, 0));
        assertThrows(IllegalArgumentException.class, () -> Classification.evaluate(new double[0][], new int[0], 1));
        assertThrows(IllegalArgumentException.class,
                () -> Classification.evaluate(new double[][]{{0.1, 0.9}, {0.5}}, new int[]{0, 0}, 1));
        assertThrows(IllegalArgumentException.class,
                () -> Classification.evaluate(new double[][]{{0.1, Double.NaN}}, new int[]{0}, 1));
    }

    private static void assertClose(Averages expected, Averages actual) {
        assertEquals(expected.precision(), actual.precision(), EPS, "precision");
        assertEquals(expected.recall(), actual.recall(), EPS, "recall");
        assertEquals(expected.f1(), actual.f1(), EPS, "F1");
    }
}
