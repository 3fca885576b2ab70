package io.montage.worker.inference;

import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import io.montage.collections.ModelSwitch;
import io.montage.jobs.ClaimedTask;
import io.montage.jobs.ItemOutcome;
import io.montage.jobs.TaskItem;
import io.montage.models.Truncation;
import io.montage.json.JsonCodec;
import io.montage.worker.tasks.NonRetryableTaskException;
import io.montage.worker.tasks.TaskHandler;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Task type "reembed": part of a collection's model switch. Embeds items from their stored sources with the new
 * model (the task's) into their next vectors; the task that completes the set flips the collection.
 */
@Singleton
final class ReembedTaskHandler implements TaskHandler {

    @Serdeable(naming = SnakeCaseStrategy.class)
    record Params(UUID collectionId) {
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    record Input(String itemId) {
    }

    private final Embedder embedder;
    private final ModelSwitch modelSwitch;
    private final JsonCodec json;

    ReembedTaskHandler(Embedder embedder, ModelSwitch modelSwitch, JsonCodec json) {
        this.embedder = embedder;
        this.modelSwitch = modelSwitch;
        this.json = json;
    }

    @Override
    public String type() {
        return ModelSwitch.TASK;
    }

    @Override
    public List<ItemOutcome> run(ClaimedTask task, List<TaskItem> items) throws Exception {
        Params params = json.read(task.paramsJson(), Params.class);
        if (params == null || params.collectionId() == null || task.tenantId() == null) {
            throw new NonRetryableTaskException("invalid_job_params", "a reembed job needs a tenant's collection_id");
        }
        LoadedModel model = embedder.modelFor(task);
        List<String> ids = items.stream().map(i -> json.read(i.inputJson(), Input.class).itemId()).toList();
        Map<String, String> sources = modelSwitch.sources(task.tenantId(), params.collectionId(), ids);
        List<TaskItem> inputs = new ArrayList<>();
        List<ItemOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String source = sources.get(ids.get(i));
            if (source == null) { // deleted since the switch began: nothing to re-embed
                outcomes.add(ItemOutcome.succeeded(items.get(i).seq(), "{\"deleted\":true}"));
            } else {
                inputs.add(new TaskItem(items.get(i).seq(), ids.get(i), source));
            }
        }
        Map<String, float[]> vectors = new LinkedHashMap<>();
        List<Embedder.Embedded> embedded = embedder.embedItems(embedder.flowFor(task), model, inputs,
                Truncation.END); // the sources were accepted as they are
        for (int i = 0; i < embedded.size(); i++) {
            Embedder.Embedded e = embedded.get(i);
            ItemOutcome failure = e.failureToStore();
            if (failure != null) {
                outcomes.add(failure);
            } else {
                vectors.put(inputs.get(i).customId(), e.vector());
                outcomes.add(ItemOutcome.succeeded(e.seq(), "{\"reembedded\":true}"));
            }
        }
        if (vectors.size() + (items.size() - inputs.size()) < items.size()) {
            // an item failed (its source no longer decodes, say): retrying cannot help, and flipping would
            // leave it without a vector of the new model
            throw new NonRetryableTaskException("reembed_failed", "some items could not be re-embedded: "
                    + outcomes.stream().filter(o -> !o.ok()).map(ItemOutcome::errorMessage).findFirst().orElse(""));
        }
        modelSwitch.record(task.tenantId(), params.collectionId(), model.model().id(), vectors);
        return outcomes;
    }
}
