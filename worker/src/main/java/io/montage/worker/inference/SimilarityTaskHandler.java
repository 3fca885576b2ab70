package io.montage.worker.inference;

import io.montage.jobs.contracts.ItemSource;
import io.montage.jobs.contracts.JobContract;
import io.montage.jobs.contracts.SimilarityJob;
import io.montage.jobs.contracts.SimilarityJob.Params;
import jakarta.inject.Singleton;

import java.util.List;

/** Runs {@link SimilarityJob}: each image's cosine similarity to every text of the job: one row of the matrix. */
@Singleton
final class SimilarityTaskHandler extends ImageAgainstTextsHandler<Params, SimilarityJob.Result> {

    SimilarityTaskHandler(Embedder embedder, TextEmbeddingCache texts) {
        super(embedder, texts, "texts");
    }

    @Override
    public JobContract<Params, ItemSource, SimilarityJob.Result> contract() {
        return SimilarityJob.CONTRACT;
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
    SimilarityJob.Result result(Params params, double[] cosines, LoadedModel model) {
        float[] scores = new float[cosines.length];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = (float) cosines[i];
        }
        return new SimilarityJob.Result(scores);
    }
}
