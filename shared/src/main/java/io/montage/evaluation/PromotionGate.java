package io.montage.evaluation;

import java.math.BigDecimal;

/**
 * Evaluation-gated promotion: may a tenant's default model switch from the incumbent to a candidate version? Only
 * when the candidate's evaluation run on the tenant's gate dataset is at least as good, by the tenant's metric and
 * margin ({@link GatePolicy}), as the incumbent's run on the same dataset version. Pure: the caller finds the runs,
 * records the decision in the audit log and handles an admin's override.
 */
public final class PromotionGate {

    private PromotionGate() {
    }

    /**
     * @param policy         the tenant's gate
     * @param gateDataset    the version of the tenant's gate dataset
     * @param candidateModel the version to switch to ({@code name@version})
     * @param candidateRun   its latest finished run on the gate dataset, or null if none
     * @param incumbentModel the current default, or null if the tenant has none yet
     * @param incumbentRun   the incumbent's latest finished run on the gate dataset, or null if none
     */
    public static GateDecision decide(GatePolicy policy, String gateDataset, String candidateModel,
                                      Scorecard candidateRun, String incumbentModel, Scorecard incumbentRun) {
        Verdict v = new Verdict(policy, candidateRun, incumbentRun);
        if (incumbentModel == null) {
            return v.allowed("no_incumbent", "the tenant has no default model yet: nothing to compare against");
        }
        if (candidateRun == null) {
            return v.refused("no_candidate_evaluation", "evaluate " + candidateModel + " on the gate dataset "
                    + gateDataset + " first");
        }
        if (incumbentRun == null) {
            return v.refused("no_incumbent_evaluation", "evaluate the incumbent " + incumbentModel
                    + " on the gate dataset " + gateDataset + " first");
        }
        String mismatch = mismatch(candidateRun, candidateModel, gateDataset);
        mismatch = mismatch != null ? mismatch : mismatch(incumbentRun, incumbentModel, gateDataset);
        if (mismatch != null) {
            return v.refused("run_mismatch", mismatch);
        }
        String metric = policy.metric().wireName();
        if (v.candidate == null || v.incumbent == null) {
            return v.refused("metric_not_reported", "the runs do not both report " + metric
                    + ": run the gate dataset's task or choose another gate metric");
        }
        // decimal arithmetic: 0.9055 >= 0.9155 - 0.01 must hold exactly, not fail on a binary rounding
        BigDecimal needed = BigDecimal.valueOf(v.incumbent).subtract(BigDecimal.valueOf(policy.margin()));
        String comparison = metric + " " + v.candidate + " for " + candidateModel + " vs " + v.incumbent + " for "
                + incumbentModel + " (margin " + policy.margin() + ", needed >= " + needed.toPlainString() + ")";
        return BigDecimal.valueOf(v.candidate).compareTo(needed) >= 0
                ? v.allowed("passed", comparison)
                : v.refused("below_incumbent", comparison);
    }

    /** Why the run is no evidence for {@code model} on the gate dataset, or null when it is. */
    private static String mismatch(Scorecard run, String model, String gateDataset) {
        if (run.modelReference().equals(model) && run.datasetVersion().equals(gateDataset)) {
            return null;
        }
        return "run " + run.runId() + " evaluated " + run.modelReference() + " on " + run.datasetVersion()
                + "; the gate compares " + model + " on " + gateDataset;
    }

    /** The evidence every decision carries. */
    private record Verdict(GatePolicy policy, Scorecard candidateRun, Scorecard incumbentRun, Double candidate,
                           Double incumbent) {

        Verdict(GatePolicy policy, Scorecard candidateRun, Scorecard incumbentRun) {
            this(policy, candidateRun, incumbentRun, value(candidateRun, policy), value(incumbentRun, policy));
        }

        private static Double value(Scorecard run, GatePolicy policy) {
            return run == null ? null : run.values().get(policy.metric());
        }

        GateDecision allowed(String code, String detail) {
            return decision(true, code, detail);
        }

        GateDecision refused(String code, String detail) {
            return decision(false, code, detail);
        }

        private GateDecision decision(boolean allowed, String code, String detail) {
            return new GateDecision(allowed, code, detail, policy, candidate, incumbent,
                    candidateRun == null ? null : candidateRun.runId(),
                    incumbentRun == null ? null : incumbentRun.runId());
        }
    }
}
