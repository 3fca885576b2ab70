package io.montage.worker.inference;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.montage.jobs.ClaimedTask;
import io.montage.jobs.ItemOutcome;
import io.montage.jobs.TaskItem;
import io.montage.json.JsonCodec;
import io.montage.models.Truncation;
import io.montage.worker.tasks.TaskHandler;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Task type "embed": each item's result is {@code {"embedding": [...], "tokens": n}} from the task's model
 * ({@code tokens}: the text's tokens, 0 for an image; the api reports them as usage), with {@code "truncated": true}
 * for a text whose tokens past the model's context were dropped (the job's {@code truncate}, default "end").
 */
@Singleton
final class EmbedTaskHandler implements TaskHandler {

    static final String TYPE = "embed";

    @Serdeable
    record Params(@Nullable String truncate) {
    }

    private final Embedder embedder;
    private final JsonCodec json;

    EmbedTaskHandler(Embedder embedder, JsonCodec json) {
        this.embedder = embedder;
        this.json = json;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<ItemOutcome> run(ClaimedTask task, List<TaskItem> items) throws InterruptedException {
        LoadedModel model = embedder.modelFor(task);
        Params params = json.read(task.paramsJson(), Params.class);
        Truncation truncation = Truncation.parse(params == null ? null : params.truncate());
        return embedder.embedItems(embedder.flowFor(task), model, items, truncation).stream()
                .map(e -> e.failure() != null ? e.failure()
                        : ItemOutcome.succeeded(e.seq(), "{\"embedding\":" + ResultJson.floats(e.vector())
                                + ",\"tokens\":" + e.tokens() + (e.truncated() ? ",\"truncated\":true}" : "}")))
                .toList();
    }
}
