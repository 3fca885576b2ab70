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
import io.montage.jobs.contracts.PredictJob;
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
 * precision) over the prompts' unit embeddings, which the {@link TextEmbeddingCache} embeds once per worker. A fused
 * classifier answers the same task with its own head: each entry's image with its first caption through the
 * predict method (the same batcher as {@code predict} jobs), its probabilities put in the run's class order; the
 * outcome is the same compact entry, so the metrics are computed the same way for both kinds.
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
        boolean fused = model.model().manifest().fused();
        if (fused && !zeroShot) {
            throw new NonRetryableTaskException("model_kind_mismatch", model.model().reference()
                    + " is a fused model: it has no embeddings for retrieval");
        }
        ZeroShotScorer scorer = zeroShot && !fused ? scorer(flow, model, params) : null;
        int[] ordinals = fused ? ordinals(model, params.labels()) : null;
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
            List<EvaluateJob.Entry> out = fused ? predict(flow, model, ordinals, read)
                    : zeroShot ? classify(flow, model, scorer, read) : retrieve(flow, model, read);
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
            out.add(ranked(read.get(i), scorer.scores(embedded.get(i).vector())));
        }
        return out;
    }

    /**
     * Each entry's image and first caption through the fused model; its probabilities by class ordinal
     * ({@code ordinals[column]}), ranked as zero-shot scores are. Null when an image failed.
     */
    private List<EvaluateJob.Entry> predict(Flow flow, LoadedModel model, int[] ordinals,
                                            List<EvalEntries.Entry> read) throws InterruptedException,
            NonRetryableTaskException {
        List<Item<PredictJob.Input>> pairs = new ArrayList<>(read.size());
        for (EvalEntries.Entry entry : read) {
            if (entry.captions().isEmpty()) {
                throw new NonRetryableTaskException("invalid_dataset", "entry " + entry.seq() + " has no caption: "
                        + "a fused model classifies an image together with its text");
            }
            pairs.add(new Item<>(pairs.size(), null, PredictJob.Input.of(entry.image(), entry.captions().getFirst())));
        }
        List<Embedder.Embedded> predicted = embedder.predictItems(flow, model, pairs);
        List<EvaluateJob.Entry> out = new ArrayList<>(read.size());
        for (int i = 0; i < read.size(); i++) {
            if (predicted.get(i).failure() != null) {
                return null;
            }
            float[] row = predicted.get(i).vector();
            double[] scores = new double[ordinals.length];
            for (int column = 0; column < row.length; column++) {
                scores[ordinals[column]] = row[column];
            }
            out.add(ranked(read.get(i), scores));
        }
        return out;
    }

    /** An entry's outcome from its scores by class ordinal: its true class and the best {@link EvaluateJob#TOP}. */
    private static EvaluateJob.Entry ranked(EvalEntries.Entry entry, double[] scores) throws NonRetryableTaskException {
        if (entry.ordinal() == null) {
            throw new NonRetryableTaskException("invalid_dataset", "entry " + entry.seq()
                    + " has no class: classification needs every entry labelled");
        }
        int[] top = IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.comparingDouble((Integer c) -> -scores[c]).thenComparingInt(c -> c))
                .limit(EvaluateJob.TOP).mapToInt(Integer::intValue).toArray();
        double[] topScores = new double[top.length];
        for (int k = 0; k < top.length; k++) {
            topScores[k] = scores[top[k]];
        }
        return new EvaluateJob.Entry(entry.seq(), entry.ordinal(), top, topScores, null, null);
    }

    /** Each of the fused model's output columns as the run's class ordinal (the run checked they are one set). */
    private static int[] ordinals(LoadedModel model, List<String> classes) throws NonRetryableTaskException {
        List<String> labels = model.model().manifest().output().labels();
        if (labels == null || labels.size() != classes.size()) {
            throw new NonRetryableTaskException("label_mismatch", model.model().reference() + " does not answer "
                    + "the run's classes " + classes);
        }
        int[] ordinals = new int[labels.size()];
        for (int column = 0; column < labels.size(); column++) {
            ordinals[column] = classes.indexOf(labels.get(column));
            if (ordinals[column] < 0) {
                throw new NonRetryableTaskException("label_mismatch", model.model().reference() + " answers '"
                        + labels.get(column) + "', which is none of the run's classes " + classes);
            }
        }
        return ordinals;
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
