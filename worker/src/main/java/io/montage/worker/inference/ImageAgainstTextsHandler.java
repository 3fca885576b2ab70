package io.montage.worker.inference;

import io.montage.jobs.ItemOutcome;
import io.montage.jobs.contracts.ItemSource;
import io.montage.models.Truncation;
import io.montage.worker.fairshare.Flow;
import io.montage.worker.tasks.Item;
import io.montage.worker.tasks.NonRetryableTaskException;
import io.montage.worker.tasks.Task;
import io.montage.worker.tasks.TaskHandler;

import java.util.ArrayList;
import java.util.List;

/**
 * Tasks that compare each image item with a set of texts given once per job (zero-shot labels, similarity
 * captions): the texts are embedded once (cached across tasks), each image once, and the item's result is computed
 * from the cosines.
 *
 * @param <P> the job's parameters
 * @param <R> an item's result
 */
abstract class ImageAgainstTextsHandler<P, R> implements TaskHandler<P, ItemSource, R> {

    private final Embedder embedder;
    private final TextEmbeddingCache texts;
    private final String textsName;

    /** {@code textsName}: what the job's texts are called in its parameters ("labels", "texts"). */
    ImageAgainstTextsHandler(Embedder embedder, TextEmbeddingCache texts, String textsName) {
        this.embedder = embedder;
        this.texts = texts;
        this.textsName = textsName;
    }

    /** The job's texts, from its parameters (null when missing). */
    abstract List<String> texts(P params);

    /** Prompt templates ({@code {}} = the text); {@code ["{}"]} embeds the texts as they are. */
    abstract List<String> templates(P params, LoadedModel model);

    /** An item's result from its cosine with each text, in the order of {@link #texts}. */
    abstract R result(P params, double[] cosines, LoadedModel model);

    @Override
    public final List<ItemOutcome> run(Task<P, R> task, List<Item<ItemSource>> items) throws Exception {
        P params = parameters(task);
        LoadedModel model = embedder.modelFor(task.claimed());
        Flow flow = embedder.flowFor(task.claimed());
        float[][] textVectors = texts.labels(flow, model, texts(params), templates(params, model));
        List<ItemOutcome> outcomes = new ArrayList<>(items.size());
        for (Embedder.Embedded e : embedder.embedItems(flow, model, items, Truncation.END)) {
            if (e.failure() != null) {
                outcomes.add(e.failure());
                continue;
            }
            float[] image = e.vector().clone();
            Vectors.normalize(image);
            double[] cosines = new double[textVectors.length];
            for (int t = 0; t < cosines.length; t++) {
                cosines[t] = Vectors.dot(image, textVectors[t]);
            }
            outcomes.add(task.succeeded(e.seq(), result(params, cosines, model)));
        }
        return outcomes;
    }

    /** The job's parameters, checked; a job without texts cannot succeed on any attempt. */
    private P parameters(Task<P, R> task) throws NonRetryableTaskException {
        P params = task.params();
        List<String> given = params == null ? null : texts(params);
        if (given == null || given.isEmpty()) {
            throw new NonRetryableTaskException("invalid_job_params", "a " + contract().name() + " job needs "
                    + textsName);
        }
        return params;
    }
}
