package io.montage.worker.inference;

import io.montage.jobs.contracts.ClassifyJob;
import io.montage.jobs.contracts.ClassifyJob.Params;
import io.montage.jobs.contracts.ClassifyJob.Ranked;
import io.montage.jobs.contracts.ItemSource;
import io.montage.jobs.contracts.JobContract;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Runs {@link ClassifyJob}: zero-shot classification of each image against the job's labels. Scores are the softmax
 * of {@code logit_scale · cosine(image, label)} over the labels, as CLIP defines it; results are ranked.
 */
@Singleton
final class ClassifyTaskHandler extends ImageAgainstTextsHandler<Params, ClassifyJob.Result> {

    ClassifyTaskHandler(Embedder embedder, TextEmbeddingCache texts) {
        super(embedder, texts, "labels");
    }

    @Override
    public JobContract<Params, ItemSource, ClassifyJob.Result> contract() {
        return ClassifyJob.CONTRACT;
    }

    @Override
    List<String> texts(Params params) {
        return params.labels();
    }

    @Override
    List<String> templates(Params params, LoadedModel model) {
        if (params.templates() != null && !params.templates().isEmpty()) {
            return params.templates();
        }
        List<String> fromManifest = model.model().manifest().zeroShotTemplates();
        return fromManifest == null || fromManifest.isEmpty() ? List.of("{}") : fromManifest;
    }

    @Override
    ClassifyJob.Result result(Params params, double[] cosines, LoadedModel model) {
        double[] probabilities = softmax(cosines, model.model().manifest().logitScale());
        List<Ranked> ranked = new ArrayList<>(probabilities.length);
        for (int i = 0; i < probabilities.length; i++) {
            ranked.add(new Ranked(params.labels().get(i), probabilities[i]));
        }
        ranked.sort(Comparator.comparingDouble(Ranked::score).reversed());
        return new ClassifyJob.Result(ranked);
    }

    static double[] softmax(double[] cosines, double logitScale) {
        double max = Double.NEGATIVE_INFINITY;
        for (double c : cosines) {
            max = Math.max(max, logitScale * c);
        }
        double[] out = new double[cosines.length];
        double sum = 0;
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.exp(logitScale * cosines[i] - max); // shifted by the max: no overflow
            sum += out[i];
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= sum;
        }
        return out;
    }
}
