package io.montage.worker.inference;

import io.micronaut.serde.annotation.Serdeable;
import io.montage.json.JsonCodec;
import jakarta.inject.Singleton;

import java.util.List;

/** Task type "similarity": each image's cosine similarity to every text of the job: one row of the matrix. */
@Singleton
final class SimilarityTaskHandler extends ImageAgainstTextsHandler<SimilarityTaskHandler.Params> {

    static final String TYPE = "similarity";

    @Serdeable
    record Params(List<String> texts) {
    }

    SimilarityTaskHandler(Embedder embedder, TextEmbeddingCache texts, JsonCodec json) {
        super(embedder, texts, json, Params.class, "texts");
    }

    @Override
    public String type() {
        return TYPE;
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
