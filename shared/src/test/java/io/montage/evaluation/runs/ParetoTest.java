package io.montage.evaluation.runs;

import io.montage.jobs.contracts.EvaluateJob;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Hand-worked fronts: quality and items/s higher is better, memory (peak RSS, model weights) lower. */
class ParetoTest {

    private static Pareto.Point p(Double quality, Double itemsPerSecond, Long memory) {
        return new Pareto.Point(quality, itemsPerSecond, memory, null);
    }

    private static Pareto.Point p(double quality, double itemsPerSecond, long memory, long weights) {
        return new Pareto.Point(quality, itemsPerSecond, memory, weights);
    }

    @Test
    void aModelWorseOrEqualOnAllThreeIsOffTheFront() {
        // b beats a on quality, ties on speed and memory: a is dominated; c is fastest: nothing beats it on speed
        boolean[] front = Pareto.front(List.of(p(0.70, 100.0, 500L), p(0.90, 100.0, 500L), p(0.60, 300.0, 900L)));
        assertArrayEquals(new boolean[]{false, true, true}, front);
    }

    @Test
    void lessMemoryAloneKeepsAModelOnTheFront() {
        boolean[] front = Pareto.front(List.of(p(0.9, 100.0, 800L), p(0.9, 100.0, 400L), p(0.8, 90.0, 400L)));
        assertArrayEquals(new boolean[]{false, true, false}, front);
    }

    @Test
    void equalModelsAreAllOnTheFrontAndOneAloneIsToo() {
        assertArrayEquals(new boolean[]{true, true}, Pareto.front(List.of(p(0.5, 10.0, 1L), p(0.5, 10.0, 1L))));
        assertArrayEquals(new boolean[]{true}, Pareto.front(List.of(p(0.1, 1.0, 9L))));
    }

    @Test
    void aModelMissingANumberIsNotJudgedAndDominatesNone() {
        // the failed run (no quality) would dominate the others on speed and memory if it counted
        boolean[] front = Pareto.front(List.of(p(null, 1000.0, 1L), p(0.8, 50.0, 600L), p(0.7, 40.0, 700L)));
        assertArrayEquals(new boolean[]{false, true, false}, front);
    }

    @Test
    void smallerWeightsKeepAVariantOnTheFrontWhenTheProcessMemoryCannotTellThemApart() {
        // one worker ran all three: the same peak RSS; int8 as fast and nearly as good, a quarter of the weights
        boolean[] front = Pareto.front(List.of(p(0.9155, 500.0, 900L, 1600L), p(0.9150, 500.0, 900L, 400L),
                p(0.9150, 400.0, 900L, 800L)));
        assertArrayEquals(new boolean[]{true, true, false}, front);
    }

    @Test
    void weightsCountOnlyBetweenModelsThatBothReportThem() {
        // a has no model_bytes (a run before they were recorded): b's smaller weights do not beat it, but do beat c's
        boolean[] front = Pareto.front(List.of(p(0.9, 100.0, 500L), p(0.9, 100.0, 500L, 100L),
                p(0.9, 100.0, 500L, 200L)));
        assertArrayEquals(new boolean[]{true, true, false}, front);
    }

    @Test
    void aPointReadsTheStoredResultsAndCostOfItsTask() {
        Pareto.Point point = Pareto.Point.of(EvaluateJob.ZERO_SHOT, Map.of("gate", Map.of("top1_accuracy", 0.9)),
                Map.of("items_per_second", 12.5, "peak_rss_bytes", 1000, "model_bytes", 300));
        assertEquals(new Pareto.Point(0.9, 12.5, 1000L, 300L), point);
        assertEquals(new Pareto.Point(null, null, null, null), Pareto.Point.of(EvaluateJob.RETRIEVAL, null, null));
    }
}
