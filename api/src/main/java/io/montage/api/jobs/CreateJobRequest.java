package io.montage.api.jobs;

import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** {@code POST /v1/jobs} with the items inline in the JSON body. */
@Serdeable
public record CreateJobRequest(String type, List<Item> items) {

    @Serdeable
    public record Item(String customId, JsonNode input) {
    }
}
