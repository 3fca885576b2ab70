package io.montage.evaluation.runs;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An evaluation run: model version(s) × a dataset version × a task, with its reproducibility record (JSON: the
 * dataset's name, version number and content hash, the templates, the Montage version) and one entry per model.
 */
public record EvalRun(UUID id, UUID tenantId, UUID datasetVersionId, String task, List<String> templates,
                      String status, String recordJson, Instant createdAt, Instant finishedAt,
                      List<EvalRunModel> models) {
}
