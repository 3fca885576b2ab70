package io.montage.worker.inference;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.montage.jobs.ClaimedTask;
import io.montage.jobs.ItemOutcome;
import io.montage.jobs.TaskItem;
import io.montage.worker.tasks.NonRetryableTaskException;
import io.montage.worker.tasks.TaskHandler;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Task type "classify": zero-shot classification of each image against the job's labels. Scores are the softmax
 * of {@code logit_scale · cosine(image, label)} over the labels, as CLIP defines it; results are ranked.
 */
@Singleton
final class ClassifyTaskHandler implements TaskHandler {

    static final String TYPE = "classify";

    @Serdeable
    record Params(List<String> labels, @Nullable List<String> templates) {
    }

    private final Embedder embedder;
    private final TextEmbeddingCache texts;
    private final JsonMapper json;

    ClassifyTaskHandler(Embedder embedder, TextEmbeddingCache texts, JsonMapper json) {
        this.embedder = embedder;
        this.texts = texts;
        this.json = json;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<ItemOutcome> run(ClaimedTask task, List<TaskItem> items) throws Exception {
        Params params = json.readValue(task.paramsJson(), Params.class);
        if (params == null || params.labels() == null || params.labels().isEmpty()) {
            throw new NonRetryableTaskException("a classify job needs labels");
        }
        LoadedModel model = embedder.modelFor(task);
        List<String> templates = templates(params, model);
        float[][] labels = texts.labels(model, params.labels(), templates);
        double logitScale = model.model().manifest().logitScale();
        List<ItemOutcome> outcomes = new ArrayList<>(items.size());
        for (Embedder.Embedded e : embedder.embedItems(model, items)) {
            outcomes.add(e.failure() != null ? e.failure()
                    : ItemOutcome.succeeded(e.seq(), ranked(params.labels(), softmax(e.vector(), labels, logitScale))));
        }
        return outcomes;
    }

    private static List<String> templates(Params params, LoadedModel model) {
        if (params.templates() != null && !params.templates().isEmpty()) {
            return params.templates();
        }
        List<String> fromManifest = model.model().manifest().zeroShotTemplates();
        return fromManifest == null || fromManifest.isEmpty() ? List.of("{}") : fromManifest;
    }

    static double[] softmax(float[] image, float[][] labels, double logitScale) {
        float[] unit = image.clone();
        Vectors.normalize(unit);
        double[] logits = new double[labels.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < labels.length; i++) {
            logits[i] = logitScale * Vectors.dot(unit, labels[i]);
            max = Math.max(max, logits[i]);
        }
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            logits[i] = Math.exp(logits[i] - max);
            sum += logits[i];
        }
        for (int i = 0; i < logits.length; i++) {
            logits[i] /= sum;
        }
        return logits;
    }

    private String ranked(List<String> labels, double[] scores) throws java.io.IOException {
        record Ranked(String label, double score) {
        }
        List<Ranked> ranked = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            ranked.add(new Ranked(labels.get(i), scores[i]));
        }
        ranked.sort(Comparator.comparingDouble(Ranked::score).reversed());
        StringBuilder out = new StringBuilder("{\"labels\":[");
        for (int i = 0; i < ranked.size(); i++) {
            out.append(i == 0 ? "" : ",").append("{\"label\":").append(json.writeValueAsString(ranked.get(i).label()))
                    .append(",\"score\":").append(ranked.get(i).score()).append('}');
        }
        return out.append("]}").toString();
    }
}
