package io.montage.worker.inference;

import io.montage.jobs.ItemOutcome;
import io.montage.jobs.contracts.ClassifyJob.Ranked;
import io.montage.jobs.contracts.JobContract;
import io.montage.jobs.contracts.PredictJob;
import io.montage.models.ModelManifest;
import io.montage.worker.fairshare.Flow;
import io.montage.worker.tasks.Item;
import io.montage.worker.tasks.NonRetryableTaskException;
import io.montage.worker.tasks.Task;
import io.montage.worker.tasks.TaskHandler;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Runs {@link PredictJob}: each image + text through a fused model's predict method, batched with other tasks'
 * inputs. A classifier's probabilities come back ranked, most probable first, the first {@code top_k} of them; a
 * scorer's one number as {@code score}.
 */
@Singleton
final class PredictTaskHandler implements TaskHandler<PredictJob.Params, PredictJob.Input, PredictJob.Result> {

    private final Embedder embedder;

    PredictTaskHandler(Embedder embedder) {
        this.embedder = embedder;
    }

    @Override
    public JobContract<PredictJob.Params, PredictJob.Input, PredictJob.Result> contract() {
        return PredictJob.CONTRACT;
    }

    @Override
    public List<ItemOutcome> run(Task<PredictJob.Params, PredictJob.Result> task, List<Item<PredictJob.Input>> items)
            throws Exception {
        LoadedModel model = embedder.modelFor(task.claimed());
        ModelManifest manifest = model.model().manifest();
        if (!manifest.fused()) {
            throw new NonRetryableTaskException("model_kind_mismatch", model.model().reference()
                    + " is a " + manifest.kind() + " model; predict needs a fused model");
        }
        Integer topK = task.params() == null ? null : task.params().topK();
        Flow flow = embedder.flowFor(task.claimed());
        List<ItemOutcome> outcomes = new ArrayList<>(items.size());
        for (Embedder.Embedded e : embedder.predictItems(flow, model, items)) {
            outcomes.add(e.failure() != null ? e.failure()
                    : task.succeeded(e.seq(), result(manifest.output(), e.vector(), topK)));
        }
        return outcomes;
    }

    static PredictJob.Result result(ModelManifest.Output output, float[] row, Integer topK) {
        if (ModelManifest.Output.SCORE.equals(output.type())) {
            return new PredictJob.Result(null, (double) row[0]);
        }
        List<Ranked> ranked = new ArrayList<>(row.length);
        for (int i = 0; i < row.length; i++) {
            ranked.add(new Ranked(output.labels().get(i), row[i]));
        }
        ranked.sort(Comparator.comparingDouble(Ranked::score).reversed()); // stable: ties keep the manifest's order
        return new PredictJob.Result(topK == null ? ranked : List.copyOf(ranked.subList(0, Math.min(topK, ranked.size()))),
                null);
    }
}
