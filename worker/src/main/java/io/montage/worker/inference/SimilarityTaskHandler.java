package io.montage.worker.inference;

import io.micronaut.serde.annotation.Serdeable;
import io.montage.jobs.ClaimedTask;
import io.montage.json.JsonCodec;
import io.montage.worker.tasks.NonRetryableTaskException;
import jakarta.inject.Singleton;

import java.util.List;

/** Task type "similarity": each image's cosine similarity to every text of the job: one row of the matrix. */
@Singleton
final class SimilarityTaskHandler extends ImageAgainstTextsHandler<SimilarityTaskHandler.Params> {

    static final String TYPE = "similarity";

    @Serdeable
    record Params(List<String> texts) {
    }

    private final JsonCodec json;

    SimilarityTaskHandler(Embedder embedder, TextEmbeddingCache texts, JsonCodec json) {
        super(embedder, texts);
        this.json = json;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    Params parameters(ClaimedTask task) throws NonRetryableTaskException {
        Params params = json.read(task.paramsJson(), Params.class);
        if (params == null || params.texts() == null || params.texts().isEmpty()) {
            throw new NonRetryableTaskException("a similarity job needs texts");
        }
        return params;
    }

    @Override
    List<String> texts(Params params) {
        return params.texts();
    }

    @Override
    List<String> templates(Params params, LoadedModel model) {
        return List.of("{}");
    }

    @Override
    String result(Params params, double[] cosines, LoadedModel model) {
        float[] scores = new float[cosines.length];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = (float) cosines[i];
        }
        return "{\"scores\":" + ResultJson.floats(scores) + "}";
    }
}
