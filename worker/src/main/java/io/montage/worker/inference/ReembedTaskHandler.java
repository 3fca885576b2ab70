package io.montage.worker.inference;

import io.montage.collections.ModelSwitch;
import io.montage.jobs.ClaimedTask;
import io.montage.jobs.ItemOutcome;
import io.montage.jobs.contracts.ItemSource;
import io.montage.jobs.contracts.JobContract;
import io.montage.jobs.contracts.ReembedJob;
import io.montage.jobs.contracts.ReembedJob.Input;
import io.montage.jobs.contracts.ReembedJob.Params;
import io.montage.models.Truncation;
import io.montage.worker.tasks.Item;
import io.montage.worker.tasks.NonRetryableTaskException;
import io.montage.worker.tasks.Task;
import io.montage.worker.tasks.TaskHandler;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link ReembedJob}: part of a collection's model switch. Embeds items from their stored sources with the new
 * model (the task's) into their next vectors; the task that completes the set flips the collection.
 */
@Singleton
final class ReembedTaskHandler implements TaskHandler<Params, Input, ReembedJob.Result> {

    private final Embedder embedder;
    private final ModelSwitch modelSwitch;

    ReembedTaskHandler(Embedder embedder, ModelSwitch modelSwitch) {
        this.embedder = embedder;
        this.modelSwitch = modelSwitch;
    }

    @Override
    public JobContract<Params, Input, ReembedJob.Result> contract() {
        return ReembedJob.CONTRACT;
    }

    @Override
    public List<ItemOutcome> run(Task<Params, ReembedJob.Result> task, List<Item<Input>> items) throws Exception {
        Params params = task.params();
        ClaimedTask claimed = task.claimed();
        if (params == null || params.collectionId() == null || claimed.tenantId() == null) {
            throw new NonRetryableTaskException("invalid_job_params", "a reembed job needs a tenant's collection_id");
        }
        LoadedModel model = embedder.modelFor(claimed);
        List<String> ids = items.stream().map(i -> i.input().itemId()).toList();
        Map<String, ItemSource> sources = modelSwitch.sources(claimed.tenantId(), params.collectionId(), ids);
        List<Item<ItemSource>> inputs = new ArrayList<>();
        List<ItemOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            ItemSource source = sources.get(ids.get(i));
            if (source == null) { // deleted since the switch began: nothing to re-embed
                outcomes.add(task.succeeded(items.get(i).seq(), ReembedJob.Result.DELETED));
            } else {
                inputs.add(new Item<>(items.get(i).seq(), ids.get(i), source));
            }
        }
        Map<String, float[]> vectors = new LinkedHashMap<>();
        List<Embedder.Embedded> embedded = embedder.embedItems(embedder.flowFor(claimed), model, inputs,
                Truncation.END); // the sources were accepted as they are
        for (int i = 0; i < embedded.size(); i++) {
            Embedder.Embedded e = embedded.get(i);
            ItemOutcome failure = e.failureToStore();
            if (failure != null) {
                outcomes.add(failure);
            } else {
                vectors.put(inputs.get(i).customId(), e.vector());
                outcomes.add(task.succeeded(e.seq(), ReembedJob.Result.REEMBEDDED));
            }
        }
        if (vectors.size() + (items.size() - inputs.size()) < items.size()) {
            // an item failed (its source no longer decodes, say): retrying cannot help, and flipping would
            // leave it without a vector of the new model
            throw new NonRetryableTaskException("reembed_failed", "some items could not be re-embedded: "
                    + outcomes.stream().filter(o -> !o.ok()).map(ItemOutcome::errorMessage).findFirst().orElse(""));
        }
        modelSwitch.record(claimed.tenantId(), params.collectionId(), model.model().id(), vectors);
        return outcomes;
    }
}
