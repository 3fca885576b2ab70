package io.montage.worker.inference;

import io.montage.jobs.ClaimedTask;
import io.montage.jobs.ItemOutcome;
import io.montage.jobs.TaskItem;
import io.montage.worker.tasks.TaskHandler;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Task type "embed": each item's result is {@code {"embedding": [...], "tokens": n}} from the task's model
 * ({@code tokens}: the text's tokens, 0 for an image; the api reports them as usage).
 */
@Singleton
final class EmbedTaskHandler implements TaskHandler {

    static final String TYPE = "embed";

    private final Embedder embedder;

    EmbedTaskHandler(Embedder embedder) {
        this.embedder = embedder;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<ItemOutcome> run(ClaimedTask task, List<TaskItem> items) throws InterruptedException {
        LoadedModel model = embedder.modelFor(task);
        return embedder.embedItems(embedder.flowFor(task), model, items).stream()
                .map(e -> e.failure() != null ? e.failure()
                        : ItemOutcome.succeeded(e.seq(), "{\"embedding\":" + ResultJson.floats(e.vector())
                                + ",\"tokens\":" + e.tokens() + "}"))
                .toList();
    }
}
