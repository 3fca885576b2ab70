package io.montage.evaluation.runs;

import io.montage.json.JsonCodec;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An evaluation run: model version(s) × a dataset version × a task, with its reproducibility record (JSON: the
 * dataset's name, version number and content hash, the templates, the Montage version) and one entry per model.
 */
public record EvalRun(UUID id, UUID tenantId, UUID datasetVersionId, String task, List<String> templates,
                      String status, String recordJson, Instant createdAt, Instant finishedAt,
                      List<EvalRunModel> models) {

    /** The dataset's classes in ordinal order, as the record holds them (empty for a retrieval run). */
    public List<String> classes(JsonCodec json) {
        Object classes = json.read(recordJson, Map.class).get("classes");
        @SuppressWarnings("unchecked")
        List<String> names = classes instanceof List<?> list ? (List<String>) list : List.of();
        return names;
    }
}
