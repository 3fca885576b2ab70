package io.montage.evaluation;

import java.util.UUID;

/**
 * The gate's verdict on switching a default model, with its evidence: what it compared and why it decided so.
 * Values are null where there was nothing to compare (no run, metric not reported).
 *
 * @param allowed        whether the switch may go ahead without an override
 * @param code           machine-readable: {@code passed}, {@code below_incumbent}, {@code no_incumbent},
 *                       {@code no_candidate_evaluation}, {@code no_incumbent_evaluation}, {@code run_mismatch},
 *                       {@code metric_not_reported}
 * @param detail         what it means, for the admin and the audit log
 * @param policy         the tenant's metric and margin
 * @param candidate      the candidate's value of the metric
 * @param incumbent      the incumbent's value of the metric
 * @param candidateRun   the candidate's evaluation run
 * @param incumbentRun   the incumbent's evaluation run
 */
public record GateDecision(boolean allowed, String code, String detail, GatePolicy policy, Double candidate,
                           Double incumbent, UUID candidateRun, UUID incumbentRun) {
}
