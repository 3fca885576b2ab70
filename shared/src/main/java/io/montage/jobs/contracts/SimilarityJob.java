package io.montage.jobs.contracts;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** Job type "similarity": each image item's cosine similarity to every text of the job: one row of the matrix. */
public final class SimilarityJob {

    public static final String NAME = "similarity";

    @Serdeable
    public record Params(List<String> texts) {
    }

    /** {@code scores[j]}: the image with text j. */
    @Serdeable
    public record Result(float[] scores) {
    }

    /** The codec's JSON for a result, written by hand like an embedding's. */
    static String write(Result result) {
        StringBuilder out = FloatArrayJson.builder(result.scores()).append("{\"scores\":");
        return FloatArrayJson.append(out, result.scores()).append('}').toString();
    }

    public static final JobContract<Params, ItemSource, Result> CONTRACT =
            new JobContract<>(NAME, Params.class, ItemSource.class, Result.class, SimilarityJob::write);

    private SimilarityJob() {
    }
}
