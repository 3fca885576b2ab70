package io.montage.api.jobs;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/**
 * {@code POST /v1/jobs} with the items inline in the JSON body (a file upload takes the same fields as query
 * parameters and one item per line).
 *
 * @param type       echo, embed, classify, predict or ingest
 * @param model      for embed, classify and predict: a model reference (default: the tenant's default model; predict
 *                   needs a fused one)
 * @param collection for ingest: the target collection (its model embeds the items)
 * @param labels     for classify: the candidate labels
 * @param templates  for classify: prompt templates ({@code {}} = the label)
 * @param truncate   for embed and ingest: texts over the model's context, "end" (default) or "none"
 * @param topK       for predict: how many labels each result keeps (a classifier's; default all)
 * @param items      each like a line of an uploaded file: {@code custom_id} and the type's fields
 */
@Serdeable
public record CreateJobRequest(@Schema(example = "echo") @Nullable String type, @Nullable String model,
                               @Nullable String collection, @Nullable List<String> labels,
                               @Nullable List<String> templates, @Schema(example = "end") @Nullable String truncate,
                               @Nullable Integer topK,
                               @Schema(example = "[{\"custom_id\": \"a\", \"input\": {\"hello\": \"world\"}}]")
                               @Nullable List<JsonNode> items) {
}
