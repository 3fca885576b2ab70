package io.montage.evaluation;

import io.montage.evaluation.metrics.ClassificationReport;
import io.montage.evaluation.metrics.RankSummary;
import io.montage.evaluation.metrics.Retrieval;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** A metric a tenant's promotion gate can compare on: higher is better for each. */
public enum GateMetric {
    TOP1_ACCURACY("top1_accuracy"),
    TOP5_ACCURACY("top5_accuracy"),
    MACRO_F1("macro_f1"),
    WEIGHTED_F1("weighted_f1"),
    IMAGE_TO_TEXT_RECALL_AT_1("image_to_text_recall_at_1"),
    IMAGE_TO_TEXT_RECALL_AT_5("image_to_text_recall_at_5"),
    IMAGE_TO_TEXT_RECALL_AT_10("image_to_text_recall_at_10"),
    IMAGE_TO_TEXT_MRR("image_to_text_mrr"),
    TEXT_TO_IMAGE_RECALL_AT_1("text_to_image_recall_at_1"),
    TEXT_TO_IMAGE_RECALL_AT_5("text_to_image_recall_at_5"),
    TEXT_TO_IMAGE_RECALL_AT_10("text_to_image_recall_at_10"),
    TEXT_TO_IMAGE_MRR("text_to_image_mrr");

    private final String wireName;

    GateMetric(String wireName) {
        this.wireName = wireName;
    }

    /** The name in settings, API and audit entries. */
    public String wireName() {
        return wireName;
    }

    public static Optional<GateMetric> byWireName(String name) {
        return Arrays.stream(values()).filter(m -> m.wireName.equals(name)).findFirst();
    }

    /** The gate metrics a classification run reports (top-5 only where it was computed). */
    public static Map<GateMetric, Double> of(ClassificationReport report) {
        Map<GateMetric, Double> values = new EnumMap<>(GateMetric.class);
        values.put(TOP1_ACCURACY, report.accuracy());
        if (report.topK().containsKey(5)) {
            values.put(TOP5_ACCURACY, report.topK().get(5));
        }
        values.put(MACRO_F1, report.macro().f1());
        values.put(WEIGHTED_F1, report.weighted().f1());
        return values;
    }

    /** The gate metrics a retrieval run reports (recall@k only for the k it computed). */
    public static Map<GateMetric, Double> of(Retrieval.Report report) {
        Map<GateMetric, Double> values = new EnumMap<>(GateMetric.class);
        put(values, report.imageToText(), IMAGE_TO_TEXT_RECALL_AT_1, IMAGE_TO_TEXT_RECALL_AT_5,
                IMAGE_TO_TEXT_RECALL_AT_10, IMAGE_TO_TEXT_MRR);
        put(values, report.textToImage(), TEXT_TO_IMAGE_RECALL_AT_1, TEXT_TO_IMAGE_RECALL_AT_5,
                TEXT_TO_IMAGE_RECALL_AT_10, TEXT_TO_IMAGE_MRR);
        return values;
    }

    private static void put(Map<GateMetric, Double> values, RankSummary direction, GateMetric at1, GateMetric at5,
                            GateMetric at10, GateMetric mrr) {
        int[] ks = {1, 5, 10};
        GateMetric[] metrics = {at1, at5, at10};
        for (int i = 0; i < ks.length; i++) {
            Double recall = direction.recallAtK().get(ks[i]);
            if (recall != null) {
                values.put(metrics[i], recall);
            }
        }
        values.put(mrr, direction.meanReciprocalRank());
    }
}
