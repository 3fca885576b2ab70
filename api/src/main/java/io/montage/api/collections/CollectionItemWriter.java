package io.montage.api.collections;

import io.micronaut.serde.annotation.Serdeable;
import io.montage.api.inference.InferenceLimits;
import io.montage.api.inference.InputEncoding;
import io.montage.api.inference.SyncInference;
import io.montage.collections.Collection;
import io.montage.collections.Collections;
import io.montage.collections.NewCollectionItem;
import io.montage.errors.MontageException;
import io.montage.json.JsonCodec;
import io.montage.models.Model;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Adds items to a collection synchronously: raw vectors are stored at once; texts and images are embedded by the
 * workers through an "ingest" job (which stores them), like any other inference.
 */
@Singleton
class CollectionItemWriter {

    /** What an ingest task reads for one item. */
    @Serdeable
    record IngestItem(String itemId, String text, String image, Object metadata) {
    }

    @Serdeable
    record CollectionParams(UUID collectionId) {
    }

    private final Collections collections;
    private final SyncInference inference;
    private final InferenceLimits limits;
    private final JsonCodec json;

    CollectionItemWriter(Collections collections, SyncInference inference, InferenceLimits limits, JsonCodec json) {
        this.collections = collections;
        this.inference = inference;
        this.limits = limits;
        this.json = json;
    }

    /** Validates every item first (nothing is written if one is bad), then writes; returns the ids written. */
    List<String> upsert(UUID tenantId, Collection collection, Model model, List<CollectionRequests.Item> items)
            throws InterruptedException {
        if (items == null || items.isEmpty()) {
            throw MontageException.invalid("missing_items", "items must hold at least one item");
        }
        if (items.size() > limits.maxItems()) {
            throw new MontageException(413, "too_many_items", items.size() + " items; a synchronous request takes at most "
                    + limits.maxItems() + " (use a bulk ingest job for more)");
        }
        List<NewCollectionItem> vectors = new ArrayList<>();
        List<String> toEmbed = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            CollectionRequests.Item item = items.get(i);
            String where = "items[" + i + "]";
            if (item == null) {
                throw MontageException.invalid("invalid_item", where + " must be an object");
            }
            String id = ItemChecks.id(item.id(), where);
            if (!ids.add(id)) {
                throw MontageException.invalid("duplicate_item_id", where + ".id '" + id + "' appears twice");
            }
            ItemChecks.metadata(item.metadata(), where);
            int sources = (item.text() != null ? 1 : 0) + (item.image() != null ? 1 : 0) + (item.vector() != null ? 1 : 0);
            if (sources != 1) {
                throw MontageException.invalid("invalid_item", where + " needs exactly one of text, image or vector");
            }
            String metadata = item.metadata() == null ? null : json.write(item.metadata());
            if (item.vector() != null) {
                vectors.add(new NewCollectionItem(id, metadata, null, null, null,
                        ItemChecks.vector(item.vector(), model, where + ".vector")));
            } else {
                String text = item.text() == null ? null : InputEncoding.text(item.text(), where + ".text", limits);
                String image = item.image() == null ? null
                        : InputEncoding.imageBase64(item.image(), where + ".image", limits);
                toEmbed.add(json.write(new IngestItem(id, text, image, item.metadata())));
            }
        }
        if (!vectors.isEmpty()) {
            collections.upsert(tenantId, collection.id(), collection.modelId(), vectors);
        }
        if (!toEmbed.isEmpty()) {
            inference.run(tenantId, model, "ingest", new CollectionParams(collection.id()), toEmbed);
        }
        return List.copyOf(ids);
    }
}
