package io.montage.evaluation;

import io.montage.evaluation.metrics.Classification;
import io.montage.evaluation.metrics.Relevance;
import io.montage.evaluation.metrics.Retrieval;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo model (91.55 %) and its small retrain (73.82 %) on the Fashion-MNIST test split, as the gate sees them. */
class PromotionGateTest {

    private static final String DATASET = "sha256:fmnist-test";
    private static final String DEMO = "fashion-clip-mini@1.0.0";
    private static final String SMALL = "fashion-clip-mini@1.1.0-small";
    private static final Scorecard DEMO_RUN = run(DEMO, 0.9155, 0.91);
    private static final Scorecard SMALL_RUN = run(SMALL, 0.7382, 0.72);

    private static Scorecard run(String model, double top1, double macroF1) {
        return new Scorecard(UUID.randomUUID(), model, DATASET,
                Map.of(GateMetric.TOP1_ACCURACY, top1, GateMetric.MACRO_F1, macroF1));
    }

    @Test
    void aWorseModelIsRefusedWithItsEvidence() {
        GateDecision d = PromotionGate.decide(GatePolicy.DEFAULT, DATASET, SMALL, SMALL_RUN, DEMO, DEMO_RUN);
        assertFalse(d.allowed());
        assertEquals("below_incumbent", d.code());
        assertEquals(0.7382, d.candidate());
        assertEquals(0.9155, d.incumbent());
        assertEquals(SMALL_RUN.runId(), d.candidateRun());
        assertEquals(DEMO_RUN.runId(), d.incumbentRun());
        assertTrue(d.detail().contains("top1_accuracy 0.7382 for " + SMALL + " vs 0.9155 for " + DEMO), d.detail());
    }

    @Test
    void aBetterOrEqualModelIsAllowed() {
        GateDecision better = PromotionGate.decide(GatePolicy.DEFAULT, DATASET, DEMO, DEMO_RUN, SMALL, SMALL_RUN);
        assertTrue(better.allowed());
        assertEquals("passed", better.code());
        Scorecard again = run(DEMO, 0.9155, 0.91);
        assertTrue(PromotionGate.decide(GatePolicy.DEFAULT, DATASET, DEMO, again, DEMO, DEMO_RUN).allowed(),
                "equal is at least as good");
    }

    @Test
    void theMarginToleratesOrDemandsExactly() {
        Scorecard slightlyWorse = run("m@2", 0.9055, 0.90);
        assertTrue(PromotionGate.decide(new GatePolicy(GateMetric.TOP1_ACCURACY, 0.01), DATASET, "m@2",
                slightlyWorse, DEMO, DEMO_RUN).allowed(), "0.9055 >= 0.9155 - 0.01, in decimal, not binary");
        assertFalse(PromotionGate.decide(new GatePolicy(GateMetric.TOP1_ACCURACY, 0.0099), DATASET, "m@2",
                slightlyWorse, DEMO, DEMO_RUN).allowed());
        Scorecard slightlyBetter = run("m@3", 0.9165, 0.90);
        GatePolicy demandsAPoint = new GatePolicy(GateMetric.TOP1_ACCURACY, -0.01);
        assertFalse(PromotionGate.decide(demandsAPoint, DATASET, "m@3", slightlyBetter, DEMO, DEMO_RUN).allowed());
        assertTrue(PromotionGate.decide(demandsAPoint, DATASET, "m@3", run("m@3", 0.9255, 0.9), DEMO, DEMO_RUN)
                .allowed());
    }

    @Test
    void theTenantsMetricDecides() {
        // better top-1, worse macro F1
        Scorecard mixed = run("m@4", 0.92, 0.85);
        assertTrue(PromotionGate.decide(GatePolicy.DEFAULT, DATASET, "m@4", mixed, DEMO, DEMO_RUN).allowed());
        GateDecision byF1 = PromotionGate.decide(new GatePolicy(GateMetric.MACRO_F1, 0), DATASET, "m@4", mixed, DEMO,
                DEMO_RUN);
        assertFalse(byF1.allowed());
        assertEquals(0.85, byF1.candidate());
    }

    @Test
    void withoutComparableEvidenceTheSwitchIsRefused() {
        assertEquals("no_candidate_evaluation",
                PromotionGate.decide(GatePolicy.DEFAULT, DATASET, SMALL, null, DEMO, DEMO_RUN).code());
        assertEquals("no_incumbent_evaluation",
                PromotionGate.decide(GatePolicy.DEFAULT, DATASET, SMALL, SMALL_RUN, DEMO, null).code());
        Scorecard elsewhere = new Scorecard(UUID.randomUUID(), SMALL, "sha256:other", SMALL_RUN.values());
        assertEquals("run_mismatch",
                PromotionGate.decide(GatePolicy.DEFAULT, DATASET, SMALL, elsewhere, DEMO, DEMO_RUN).code());
        assertEquals("run_mismatch",
                PromotionGate.decide(GatePolicy.DEFAULT, DATASET, SMALL, DEMO_RUN, DEMO, DEMO_RUN).code(),
                "a run of another model is no evidence for the candidate");
        GateDecision retrievalMetric = PromotionGate.decide(
                new GatePolicy(GateMetric.TEXT_TO_IMAGE_RECALL_AT_1, 0), DATASET, SMALL, SMALL_RUN, DEMO, DEMO_RUN);
        assertEquals("metric_not_reported", retrievalMetric.code());
        assertNull(retrievalMetric.candidate());
        for (GateDecision d : new GateDecision[]{retrievalMetric,
                PromotionGate.decide(GatePolicy.DEFAULT, DATASET, SMALL, null, DEMO, DEMO_RUN)}) {
            assertFalse(d.allowed(), d.code());
        }
    }

    @Test
    void theFirstDefaultNeedsNoComparison() {
        GateDecision d = PromotionGate.decide(GatePolicy.DEFAULT, DATASET, SMALL, null, null, null);
        assertTrue(d.allowed());
        assertEquals("no_incumbent", d.code());
    }

    @Test
    void scorecardsComeFromTheMetricsModule() {
        var report = Classification.evaluate(new double[][]{{0.9, 0.1}, {0.8, 0.2}}, new int[]{0, 1},
                Classification.DEFAULT_K);
        Map<GateMetric, Double> values = GateMetric.of(report);
        assertEquals(0.5, values.get(GateMetric.TOP1_ACCURACY));
        assertEquals(1.0, values.get(GateMetric.TOP5_ACCURACY), "k = 5 over 2 classes");
        assertEquals(report.macro().f1(), values.get(GateMetric.MACRO_F1));
        // image 0 finds its caption first, image 1 second; both captions tie their image with the other: rank 2
        Map<GateMetric, Double> retrieval = GateMetric.of(Retrieval.evaluate(new double[][]{{1, 0}, {1, 0}},
                Relevance.ofCaptions(2, new int[]{0, 1}, List.of("a", "b")), Retrieval.DEFAULT_K));
        assertEquals(0.5, retrieval.get(GateMetric.IMAGE_TO_TEXT_RECALL_AT_1));
        assertEquals(0.75, retrieval.get(GateMetric.IMAGE_TO_TEXT_MRR));
        assertEquals(0.0, retrieval.get(GateMetric.TEXT_TO_IMAGE_RECALL_AT_1));
        assertEquals(1.0, retrieval.get(GateMetric.TEXT_TO_IMAGE_RECALL_AT_10));
        assertEquals(0.5, retrieval.get(GateMetric.TEXT_TO_IMAGE_MRR));
        assertEquals(GateMetric.MACRO_F1, GateMetric.byWireName("macro_f1").orElseThrow());
        assertTrue(GateMetric.byWireName("MACRO_F1").isEmpty());
    }

    @Test
    void aMarginOutsideOneShareIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new GatePolicy(GateMetric.TOP1_ACCURACY, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new GatePolicy(GateMetric.TOP1_ACCURACY, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new GatePolicy(null, 0));
    }
}
