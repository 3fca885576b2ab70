package io.montage.worker.inference;

import io.montage.jobs.ItemOutcome;
import io.montage.jobs.contracts.EmbedJob;
import io.montage.jobs.contracts.ItemSource;
import io.montage.jobs.contracts.JobContract;
import io.montage.models.Truncation;
import io.montage.worker.tasks.Item;
import io.montage.worker.tasks.Task;
import io.montage.worker.tasks.TaskHandler;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Runs {@link EmbedJob}: each item's result is its embedding from the task's model, with its text's tokens (0 for an
 * image; the api reports them as usage) and whether tokens past the model's context were dropped (the job's
 * {@code truncate}, default "end").
 */
@Singleton
final class EmbedTaskHandler implements TaskHandler<EmbedJob.Params, ItemSource, EmbedJob.Result> {

    private final Embedder embedder;

    EmbedTaskHandler(Embedder embedder) {
        this.embedder = embedder;
    }

    @Override
    public JobContract<EmbedJob.Params, ItemSource, EmbedJob.Result> contract() {
        return EmbedJob.CONTRACT;
    }

    @Override
    public List<ItemOutcome> run(Task<EmbedJob.Params, EmbedJob.Result> task, List<Item<ItemSource>> items)
            throws InterruptedException {
        LoadedModel model = embedder.modelFor(task.claimed());
        Truncation truncation = Truncation.parse(task.params() == null ? null : task.params().truncate());
        return embedder.embedItems(embedder.flowFor(task.claimed()), model, items, truncation).stream()
                .map(e -> e.failure() != null ? e.failure()
                        : task.succeeded(e.seq(), EmbedJob.Result.of(e.vector(), e.tokens(), e.truncated())))
                .toList();
    }
}
