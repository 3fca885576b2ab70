package io.montage.worker.inference;

import io.montage.collections.Collections;
import io.montage.collections.NewCollectionItem;
import io.montage.collections.OverQuota;
import io.montage.db.SqlFailures;
import io.montage.jobs.ClaimedTask;
import io.montage.jobs.ItemOutcome;
import io.montage.jobs.contracts.IngestJob;
import io.montage.jobs.contracts.IngestJob.Input;
import io.montage.jobs.contracts.IngestJob.Params;
import io.montage.jobs.contracts.JobContract;
import io.montage.json.JsonCodec;
import io.montage.models.Truncation;
import io.montage.worker.tasks.Item;
import io.montage.worker.tasks.NonRetryableTaskException;
import io.montage.worker.tasks.Task;
import io.montage.worker.tasks.TaskHandler;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link IngestJob}: embeds each item with the task's model and stores it in the job's collection with its
 * metadata, its source (so a model switch can re-embed it) and, for images, a thumbnail. Items are written inside
 * the tenant's row-level security, so a task can only ever touch its own tenant's collection. An item the database
 * refuses (a NUL in its id, say) fails alone; the others are stored.
 */
@Singleton
final class IngestTaskHandler implements TaskHandler<Params, Input, IngestJob.Result> {

    private final Embedder embedder;
    private final Collections collections;
    private final JsonCodec json;

    IngestTaskHandler(Embedder embedder, Collections collections, JsonCodec json) {
        this.embedder = embedder;
        this.collections = collections;
        this.json = json;
    }

    @Override
    public JobContract<Params, Input, IngestJob.Result> contract() {
        return IngestJob.CONTRACT;
    }

    @Override
    public List<ItemOutcome> run(Task<Params, IngestJob.Result> task, List<Item<Input>> items) throws Exception {
        Params params = task.params();
        ClaimedTask claimed = task.claimed();
        if (params == null || params.collectionId() == null || claimed.tenantId() == null) {
            throw new NonRetryableTaskException("invalid_job_params", "an ingest job needs a tenant's collection_id");
        }
        LoadedModel model = embedder.modelFor(claimed);
        List<Embedder.Embedded> embedded = embedder.embedItems(embedder.flowFor(claimed), model, items.stream()
                .map(i -> new Item<>(i.seq(), i.customId(), i.input() == null ? null : i.input().source())).toList(),
                Truncation.parse(params.truncate()), true);
        List<ItemOutcome> outcomes = new ArrayList<>(items.size());
        List<Staged> staged = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Embedder.Embedded e = embedded.get(i);
            Input input = items.get(i).input();
            ItemOutcome failure = e.failureToStore();
            if (failure != null) {
                outcomes.add(failure);
            } else if (input.itemId() == null || input.itemId().isBlank()) {
                outcomes.add(ItemOutcome.failed(e.seq(), "missing_item_id", "an item to ingest needs an item_id"));
            } else {
                staged.add(new Staged(e.seq(), new NewCollectionItem(input.itemId(),
                        input.metadata() == null ? null : json.write(input.metadata()), input.text(),
                        e.kept() == null ? null : e.kept().image(), e.kept() == null ? null : e.kept().thumbnail(),
                        e.vector())));
            }
        }
        // an item the database refuses (bad data) or that does not fit the tenant's quota fails alone
        Map<String, String> overQuota = new HashMap<>();
        Map<Staged, SqlFailures.RefusedData> refused = IsolatingWrites.write("task " + claimed.id(), staged, batch -> {
            OverQuota over = collections.upsertWithinQuota(claimed.tenantId(), params.collectionId(), model.model().id(),
                    batch.stream().map(Staged::item).toList());
            over.itemIds().forEach(id -> overQuota.put(id, over.reason()));
        });
        for (Staged s : staged) {
            SqlFailures.RefusedData why = refused.get(s);
            String quota = overQuota.get(s.item().itemId());
            outcomes.add(why != null ? ItemOutcome.failed(s.seq(), why.code(), why.message())
                    : quota != null ? ItemOutcome.failed(s.seq(), "quota_exceeded", quota)
                    : task.succeeded(s.seq(), new IngestJob.Result(s.item().itemId())));
        }
        return outcomes;
    }

    /** An item ready to store, with its place in the job. */
    private record Staged(int seq, NewCollectionItem item) {
    }
}
