package io.montage.evaluation.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The one tie rule: a wrong candidate that ties with the right one ranks above it. */
class RanksTest {

    @Test
    void aStrictOrderRanksByScore() {
        double[] scores = {0.1, 0.7, 0.3};
        assertEquals(1, Ranks.of(scores, 1));
        assertEquals(2, Ranks.of(scores, 2));
        assertEquals(3, Ranks.of(scores, 0));
        assertEquals(1, Ranks.predicted(scores, 0));
    }

    @Test
    void aTieRanksTheTruthBelowEveryoneItTiesWith() {
        double[] scores = {0.9, 0.9, 0.1};
        assertEquals(2, Ranks.of(scores, 0));
        assertEquals(2, Ranks.of(scores, 1), "not first for coming first in the list");
        assertEquals(1, Ranks.predicted(scores, 0), "the tied wrong class is the prediction");
        assertEquals(0, Ranks.predicted(scores, 1));
        assertEquals(3, Ranks.of(scores, 2));
        assertEquals(0, Ranks.predicted(scores, 2), "truth not in the tie: the lowest-indexed top class");
    }

    @Test
    void aModelThatScoresEverythingAlikeRanksEveryTruthLast() {
        double[] same = {0.5, 0.5, 0.5};
        for (int truth = 0; truth < 3; truth++) {
            assertEquals(3, Ranks.of(same, truth));
        }
        assertEquals(1, Ranks.predicted(same, 0), "the lowest-indexed of the other tied classes");
        assertEquals(0, Ranks.predicted(same, 1));
        assertEquals(0, Ranks.predicted(same, 2));
    }

    @Test
    void theFirstRelevantCandidateCountsAndOtherRelevantOnesDoNotPushItDown() {
        double[] scores = {0.5, 0.9, 0.9, 0.2};
        assertEquals(2, Ranks.ofFirstRelevant(scores, new boolean[]{false, false, true, true}),
                "0.9 ties with one irrelevant 0.9");
        assertEquals(3, Ranks.ofFirstRelevant(scores, new boolean[]{true, false, false, true}));
        assertEquals(1, Ranks.ofFirstRelevant(scores, new boolean[]{false, true, true, false}),
                "two relevant candidates tied at the top: rank 1");
    }

    @Test
    void undefinedRanksAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Ranks.of(new double[0], 0));
        assertThrows(IllegalArgumentException.class, () -> Ranks.of(new double[]{0.1, Double.NaN}, 0));
        assertThrows(IllegalArgumentException.class,
                () -> Ranks.ofFirstRelevant(new double[]{0.1, 0.2}, new boolean[]{false, false}));
        assertThrows(IllegalArgumentException.class,
                () -> Ranks.ofFirstRelevant(new double[]{0.1, 0.2}, new boolean[]{true}));
    }
}
