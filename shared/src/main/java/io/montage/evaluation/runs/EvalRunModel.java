package io.montage.evaluation.runs;

import java.time.Instant;
import java.util.UUID;

/**
 * One model of a run: the exact bundle (its reference and the SHA-256 of its files' hashes), its job (null once the
 * job has expired), and once the job is over its metrics and cost (JSON) or why it has none.
 */
public record EvalRunModel(int position, UUID modelId, String modelRef, String modelSha256, UUID jobId,
                           String resultsJson, String costJson, String failure, Instant finishedAt) {

    public boolean done() {
        return finishedAt != null;
    }
}
