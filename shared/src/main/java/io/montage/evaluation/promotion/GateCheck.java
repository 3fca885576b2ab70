package io.montage.evaluation.promotion;

import io.montage.evaluation.GateDecision;

import java.util.UUID;

/**
 * The gate's decision on one switch and the dataset version it compared on (the gate dataset's newest when it
 * decided; null when the dataset is gone).
 *
 * @param decision         allowed or refused, with both runs' values
 * @param dataset          the dataset version as the decision names it ({@code name v3}, {@code shared/name v3})
 * @param datasetVersionId that version
 * @param datasetSha256    its content hash
 */
public record GateCheck(GateDecision decision, String dataset, UUID datasetVersionId, String datasetSha256) {

    /** The decision and its evidence in one line, for the audit log and the admin. */
    public String evidence() {
        StringBuilder s = new StringBuilder(decision.code()).append(": ").append(decision.detail())
                .append("; gate ").append(decision.policy().metric().wireName()).append(" margin ")
                .append(decision.policy().margin()).append(" on ").append(dataset);
        if (datasetSha256 != null) {
            s.append(" (sha256 ").append(datasetSha256, 0, 12).append("…)");
        }
        s.append("; candidate run ").append(decision.candidateRun() == null ? "none" : decision.candidateRun())
                .append(" = ").append(decision.candidate())
                .append("; incumbent run ").append(decision.incumbentRun() == null ? "none" : decision.incumbentRun())
                .append(" = ").append(decision.incumbent());
        return s.toString();
    }
}
