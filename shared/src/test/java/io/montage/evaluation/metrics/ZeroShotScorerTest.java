package io.montage.evaluation.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ZeroShotScorerTest {

    private static final double EPS = 1e-12;
    private static final double HALF_SQRT2 = Math.sqrt(0.5);

    /**
     * Class 0's prompts point along x (length 1) and along y (length 2): normalised first, their mean points at 45°;
     * an unnormalised mean (0.5, 1) would point at 63° and favour the longer prompt. Class 1's one prompt is -x.
     */
    private final ZeroShotScorer scorer = ZeroShotScorer.fromPrompts(List.of(
            List.of(new float[]{1, 0}, new float[]{0, 2}),
            List.of(new float[]{-3, 0})));

    @Test
    void aClassIsTheNormalisedMeanOfItsNormalisedPrompts() {
        assertEquals(2, scorer.classes());
        assertArrayEquals(new double[]{1, -HALF_SQRT2}, scorer.scores(new float[]{2, 2}), EPS);
        assertArrayEquals(new double[]{HALF_SQRT2, 0}, scorer.scores(new float[]{0, 5}), EPS,
                "cosine 0.7071, not the 0.894 of an unnormalised mean");
        assertArrayEquals(new double[]{HALF_SQRT2, -1}, scorer.scores(new float[]{1, 0}), EPS);
    }

    @Test
    void scoresFeedTheMetrics() {
        double[][] scores = {scorer.scores(new float[]{1, 1}), scorer.scores(new float[]{-1, 0.1f})};
        assertEquals(1.0, Classification.evaluate(scores, new int[]{0, 1}, 1).accuracy());
        assertEquals(0.5, Classification.evaluate(scores, new int[]{1, 1}, 1).accuracy());
    }

    @Test
    void unusableEmbeddingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ZeroShotScorer.fromPrompts(List.of()));
        assertThrows(IllegalArgumentException.class, () -> ZeroShotScorer.fromPrompts(List.of(List.of())));
        assertThrows(IllegalArgumentException.class,
                () -> ZeroShotScorer.fromPrompts(List.of(List.of(new float[]{1, 0}, new float[]{1, 0, 0}))));
        assertThrows(IllegalArgumentException.class,
                () -> ZeroShotScorer.fromPrompts(List.of(List.of(new float[]{0, 0}))), "no direction");
        assertThrows(IllegalArgumentException.class, () -> scorer.scores(new float[]{1, 0, 0}));
        assertThrows(IllegalArgumentException.class, () -> scorer.scores(new float[]{0, 0}));
    }
}
