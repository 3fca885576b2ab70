package io.montage.api.jobs;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;

/** One item's outcome on the wire: a result or an error, keyed by the caller's custom_id. */
@Serdeable
public record ItemView(int index, @Nullable String customId, String status, @Nullable JsonNode result,
                       @Nullable ItemError error) {

    @Serdeable
    public record ItemError(String code, String message) {
    }
}
