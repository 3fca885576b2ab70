package io.montage.worker.inference;

import io.montage.evaluation.metrics.ZeroShotScorer;
import io.montage.evaluation.runs.EvalEntries;
import io.montage.jobs.ClaimedTask;
import io.montage.jobs.ItemOutcome;
import io.montage.jobs.contracts.EvaluateJob;
import io.montage.jobs.contracts.EvaluateJob.Input;
import io.montage.jobs.contracts.EvaluateJob.Params;
import io.montage.jobs.contracts.ItemSource;
import io.montage.jobs.contracts.JobContract;
import io.montage.models.Truncation;
import io.montage.worker.evaluation.ProcessMemory;
import io.montage.worker.fairshare.Flow;
import io.montage.worker.tasks.Item;
import io.montage.worker.tasks.NonRetryableTaskException;
import io.montage.worker.tasks.Task;
import io.montage.worker.tasks.TaskHandler;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Runs {@link EvaluateJob}: one model's share of an evaluation run. Each item is a range of dataset entries, read in
 * the tenant's transaction and embedded through the same {@link Embedder} as every other job (its batching, its
 * fair share); the item's result is each entry's compact outcome and what the range cost. Lives in this package
 * because the embedding path is package-private here; the run's bookkeeping lives in shared's evaluation.runs.
 *
 * <p>Zero-shot scores come from {@link ZeroShotScorer} (the metrics module's reference arithmetic, double
 * precision) over the prompts' unit embeddings, which the {@link TextEmbeddingCache} embeds once per worker.
 */
@Singleton
final class EvaluateTaskHandler implements TaskHandler<Params, Input, EvaluateJob.Result> {

    /** The most entries one item may name: a range is read into memory at once. */
    static final int MAX_RANGE = 256;

    private final Embedder embedder;
    private final TextEmbeddingCache texts;
    private final EvalEntries entries;

    EvaluateTaskHandler(Embedder embedder, TextEmbeddingCache texts, EvalEntries entries) {
        this.embedder = embedder;
        this.texts = texts;
        this.entries = entries;
    }

    @Override
    public JobContract<Params, Input, EvaluateJob.Result> contract() {
        return EvaluateJob.CONTRACT;
    }

    @Override
    public List<ItemOutcome> run(Task<Params, EvaluateJob.Result> task, List<Item<Input>> items) throws Exception {
        Params params = checked(task);
        ClaimedTask claimed = task.claimed();
        LoadedModel model = embedder.modelFor(claimed);
        Flow flow = embedder.flowFor(claimed);
        boolean zeroShot = EvaluateJob.ZERO_SHOT.equals(params.task());
        ZeroShotScorer scorer = zeroShot ? scorer(flow, model, params) : null;
        List<ItemOutcome> outcomes = new ArrayList<>(items.size());
        for (Item<Input> item : items) {
            Input range = item.input();
            if (range == null || range.seqFrom() < 0 || range.seqTo() <= range.seqFrom()
                    || range.seqTo() - range.seqFrom() > MAX_RANGE) {
                outcomes.add(ItemOutcome.failed(item.seq(), "invalid_input", "an evaluate item is a range "
                        + "{seq_from, seq_to} of 1 to " + MAX_RANGE + " entries"));
                continue;
            }
            long started = System.nanoTime();
            List<EvalEntries.Entry> read = entries.read(claimed.tenantId(), params.datasetVersionId(),
                    range.seqFrom(), range.seqTo());
            if (read.size() != range.seqTo() - range.seqFrom()) {
                // the version is not this tenant's (row-level security hid it) or has fewer entries
                throw new NonRetryableTaskException("dataset_entries_missing", "the dataset version has no entries "
                        + range.seqFrom() + " … " + (range.seqTo() - 1) + " that this tenant may read");
            }
            List<EvaluateJob.Entry> out = zeroShot ? classify(flow, model, scorer, read) : retrieve(flow, model, read);
            if (out == null) {
                outcomes.add(ItemOutcome.failed(item.seq(), "entry_not_embedded", "an entry of " + range.seqFrom()
                        + " … " + (range.seqTo() - 1) + " could not be embedded (its image does not decode)"));
                continue;
            }
            double millis = (System.nanoTime() - started) / 1e6;
            outcomes.add(task.succeeded(item.seq(), new EvaluateJob.Result(out, millis, ProcessMemory.heapUsed(),
                    ProcessMemory.residentSetSize(), model.weightBytes())));
        }
        return outcomes;
    }

    /** Each entry's true class and best {@link EvaluateJob#TOP} classes; null when an image failed. */
    private List<EvaluateJob.Entry> classify(Flow flow, LoadedModel model, ZeroShotScorer scorer,
                                             List<EvalEntries.Entry> read) throws InterruptedException,
            NonRetryableTaskException {
        List<Embedder.Embedded> embedded = embedder.embedItems(flow, model, images(read), Truncation.END);
        List<EvaluateJob.Entry> out = new ArrayList<>(read.size());
        for (int i = 0; i < read.size(); i++) {
            if (embedded.get(i).failure() != null) {
                return null;
            }
            if (read.get(i).ordinal() == null) {
                throw new NonRetryableTaskException("invalid_dataset", "entry " + read.get(i).seq()
                        + " has no class: zero-shot classification needs every entry labelled");
            }
            double[] scores = scorer.scores(embedded.get(i).vector());
            int[] top = IntStream.range(0, scores.length).boxed()
                    .sorted(Comparator.comparingDouble((Integer c) -> -scores[c]).thenComparingInt(c -> c))
                    .limit(EvaluateJob.TOP).mapToInt(Integer::intValue).toArray();
            double[] topScores = new double[top.length];
            for (int k = 0; k < top.length; k++) {
                topScores[k] = scores[top[k]];
            }
            out.add(new EvaluateJob.Entry(read.get(i).seq(), read.get(i).ordinal(), top, topScores, null, null));
        }
        return out;
    }

    /** Each entry's image embedding and its captions' embeddings; null when an image failed. */
    private List<EvaluateJob.Entry> retrieve(Flow flow, LoadedModel model, List<EvalEntries.Entry> read)
            throws InterruptedException {
        List<Item<ItemSource>> sources = new ArrayList<>(images(read));
        for (EvalEntries.Entry entry : read) {
            for (String caption : entry.captions()) {
                sources.add(new Item<>(sources.size(), null, ItemSource.text(caption)));
            }
        }
        List<Embedder.Embedded> embedded = embedder.embedItems(flow, model, sources, Truncation.END);
        if (embedded.stream().anyMatch(e -> e.failure() != null)) {
            return null;
        }
        List<EvaluateJob.Entry> out = new ArrayList<>(read.size());
        int next = read.size();
        for (int i = 0; i < read.size(); i++) {
            List<float[]> captions = new ArrayList<>();
            for (int k = 0; k < read.get(i).captions().size(); k++) {
                captions.add(embedded.get(next++).vector());
            }
            out.add(new EvaluateJob.Entry(read.get(i).seq(), null, null, null, embedded.get(i).vector(), captions));
        }
        return out;
    }

    private static List<Item<ItemSource>> images(List<EvalEntries.Entry> read) {
        List<Item<ItemSource>> out = new ArrayList<>(read.size());
        for (int i = 0; i < read.size(); i++) {
            out.add(new Item<>(i, null, ItemSource.image(read.get(i).image())));
        }
        return out;
    }

    /** The classes' zero-shot embeddings: each prompt embedded once per worker (cached), averaged per class. */
    private ZeroShotScorer scorer(Flow flow, LoadedModel model, Params params) throws Exception {
        List<String> prompts = new ArrayList<>();
        for (String label : params.labels()) {
            params.templates().forEach(t -> prompts.add(t.replace("{}", label)));
        }
        float[][] vectors = texts.labels(flow, model, prompts, List.of("{}"));
        List<List<float[]>> perClass = new ArrayList<>();
        int m = params.templates().size();
        for (int c = 0; c < params.labels().size(); c++) {
            perClass.add(List.of(vectors).subList(c * m, (c + 1) * m));
        }
        return ZeroShotScorer.fromPrompts(perClass);
    }

    private static Params checked(Task<Params, EvaluateJob.Result> task) throws NonRetryableTaskException {
        Params p = task.params();
        boolean zeroShot = p != null && EvaluateJob.ZERO_SHOT.equals(p.task());
        boolean valid = p != null && p.datasetVersionId() != null && task.claimed().tenantId() != null
                && (zeroShot ? p.labels() != null && !p.labels().isEmpty() && p.templates() != null
                && !p.templates().isEmpty() : EvaluateJob.RETRIEVAL.equals(p.task()));
        if (!valid) {
            throw new NonRetryableTaskException("invalid_job_params", "an evaluate job needs a tenant, a dataset "
                    + "version and a task (zero-shot with labels and templates, or retrieval)");
        }
        return p;
    }
}
