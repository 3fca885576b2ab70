package io.montage.api.collections;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** Request bodies of the collection endpoints. */
final class CollectionRequests {

    private CollectionRequests() {
    }

    @Serdeable
    record Create(@Schema(example = "catalog") @Nullable String name, @Nullable String model) {
    }

    /** One item: its id, exactly one of text / image / vector, and optional metadata (an object). */
    @Serdeable
    record Item(@Nullable String id, @Nullable String text, @Nullable String image, @Nullable List<Float> vector,
                @Nullable JsonNode metadata) {
    }

    @Serdeable
    record Upsert(@Nullable List<Item> items) {
    }

    @Serdeable
    record Delete(@Nullable List<String> ids) {
    }

    /** The query: exactly one of text, image, item_id (more like this item) or vector. */
    @Serdeable
    record Query(@Nullable String text, @Nullable String image, @Nullable String itemId, @Nullable List<Float> vector) {
    }

    @Serdeable
    record Search(@Nullable Query query, @Nullable Integer topK, @Nullable JsonNode filter, @Nullable Boolean exact) {
    }
}
