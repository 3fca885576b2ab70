package io.montage.worker.inference;

import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.montage.jobs.ClaimedTask;
import io.montage.jobs.ItemOutcome;
import io.montage.jobs.TaskItem;
import io.montage.worker.tasks.NonRetryableTaskException;
import io.montage.worker.tasks.TaskHandler;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;

/** Task type "similarity": each image's cosine similarity to every text of the job: one row of the matrix. */
@Singleton
final class SimilarityTaskHandler implements TaskHandler {

    static final String TYPE = "similarity";

    @Serdeable
    record Params(List<String> texts) {
    }

    private final Embedder embedder;
    private final TextEmbeddingCache textEmbeddings;
    private final JsonMapper json;

    SimilarityTaskHandler(Embedder embedder, TextEmbeddingCache textEmbeddings, JsonMapper json) {
        this.embedder = embedder;
        this.textEmbeddings = textEmbeddings;
        this.json = json;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<ItemOutcome> run(ClaimedTask task, List<TaskItem> items) throws Exception {
        Params params = json.readValue(task.paramsJson(), Params.class);
        if (params == null || params.texts() == null || params.texts().isEmpty()) {
            throw new NonRetryableTaskException("a similarity job needs texts");
        }
        LoadedModel model = embedder.modelFor(task);
        float[][] texts = textEmbeddings.labels(model, params.texts(), List.of("{}"));
        List<ItemOutcome> outcomes = new ArrayList<>(items.size());
        for (Embedder.Embedded e : embedder.embedItems(model, items)) {
            if (e.failure() != null) {
                outcomes.add(e.failure());
                continue;
            }
            float[] image = e.vector().clone();
            Vectors.normalize(image);
            float[] scores = new float[texts.length];
            for (int t = 0; t < texts.length; t++) {
                scores[t] = (float) Vectors.dot(image, texts[t]);
            }
            outcomes.add(ItemOutcome.succeeded(e.seq(), "{\"scores\":" + ResultJson.floats(scores) + "}"));
        }
        return outcomes;
    }
}
