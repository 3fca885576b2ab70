package io.montage.api.collections;

import io.montage.api.admission.RequestCosts;
import io.montage.api.inference.InferenceLimits;
import io.montage.api.inference.InferenceInputs;
import io.montage.api.inference.SyncInference;
import io.montage.collections.Collection;
import io.montage.collections.Collections;
import io.montage.collections.NewCollectionItem;
import io.montage.errors.MontageException;
import io.montage.jobs.contracts.IngestJob;
import io.montage.jobs.contracts.ItemSource;
import io.montage.json.JsonCodec;
import io.montage.models.Model;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Adds items to a collection synchronously: raw vectors are stored at once; texts and images are embedded by the
 * workers through an {@link IngestJob} (which stores them), like any other inference.
 */
@Singleton
class CollectionItemWriter {

    private final Collections collections;
    private final SyncInference inference;
    private final InferenceLimits limits;
    private final JsonCodec json;
    private final RequestCosts costs;

    CollectionItemWriter(Collections collections, SyncInference inference, InferenceLimits limits, JsonCodec json,
                         RequestCosts costs) {
        this.collections = collections;
        this.inference = inference;
        this.limits = limits;
        this.json = json;
        this.costs = costs;
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
        costs.collectionUpsert((int) items.stream().filter(item -> item != null && item.image() != null).count(),
                (int) items.stream().filter(item -> item != null && item.text() != null).count());
        List<NewCollectionItem> vectors = new ArrayList<>();
        List<IngestJob.Input> toEmbed = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
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
                ItemSource source = item.text() != null
                        ? InferenceInputs.textItem(item.text(), where + ".text", limits)
                        : InferenceInputs.imageItem(item.image(), where + ".image", limits);
                toEmbed.add(new IngestJob.Input(id, source, item.metadata()));
            }
        }
        collections.requireRoom(tenantId, collection.id(), List.copyOf(ids)); // before any encoding is queued
        if (!vectors.isEmpty()) {
            collections.upsert(tenantId, collection.id(), collection.modelId(), vectors);
        }
        if (!toEmbed.isEmpty()) {
            inference.run(tenantId, model, IngestJob.CONTRACT, new IngestJob.Params(null, collection.id()), toEmbed);
        }
        return List.copyOf(ids);
    }
}
