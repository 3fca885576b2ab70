package io.montage.console.evaluations;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Hand-worked fronts: quality and items/s higher is better, memory lower. */
class ParetoTest {

    private static Pareto.Point p(Double quality, Double itemsPerSecond, Long memory) {
        return new Pareto.Point(quality, itemsPerSecond, memory);
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
}
