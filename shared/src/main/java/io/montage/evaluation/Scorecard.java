package io.montage.evaluation;

import java.util.Map;
import java.util.UUID;

/**
 * One finished evaluation run's results as the gate sees them: which model version, on which dataset version, and the
 * gate metrics it reported.
 *
 * @param runId          the evaluation run
 * @param modelReference the model version ({@code name@version})
 * @param datasetVersion the dataset's content-hash version the run evaluated
 * @param values         the metrics the run reported
 */
public record Scorecard(UUID runId, String modelReference, String datasetVersion, Map<GateMetric, Double> values) {

    public Scorecard {
        values = Map.copyOf(values);
    }
}
