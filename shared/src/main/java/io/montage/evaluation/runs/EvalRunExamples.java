package io.montage.evaluation.runs;

import io.montage.evaluation.metrics.Ranks;
import io.montage.jobs.JobItem;
import io.montage.jobs.Jobs;
import io.montage.jobs.contracts.EvaluateJob;
import io.montage.jobs.contracts.JobCodec;
import io.montage.json.JsonCodec;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * A zero-shot model's worst-classified entries, read from its job's per-entry outcomes (so only while the job is
 * kept: {@code montage.evaluation.retention}). Worst first: the true class ranked lowest, then the wrong class
 * predicted with the highest cosine. The predicted class and the rank follow the metrics' rules ({@link Ranks},
 * {@link ZeroShotRow}), so every example here is one of the confusion matrix's off-diagonal counts.
 */
@Singleton
public class EvalRunExamples {

    private static final int PAGE = 1000;

    /**
     * One misclassified entry: {@code trueRank} is 1 + the classes scored at least as high as the true one (a true
     * class outside the kept top {@value EvaluateJob#TOP} ranks below all of them); {@code trueScore} is null then.
     */
    public record Example(int seq, String trueLabel, String predictedLabel, double predictedScore, Double trueScore,
                          int trueRank) {
    }

    private static final Comparator<Example> BETTER_FIRST = Comparator.comparingInt(Example::trueRank)
            .thenComparingDouble(Example::predictedScore)
            .thenComparing(Comparator.comparingInt(Example::seq).reversed()); // ties: the first entries are shown

    private final Jobs jobs;
    private final JobCodec codec;
    private final JsonCodec json;

    EvalRunExamples(Jobs jobs, JobCodec codec, JsonCodec json) {
        this.jobs = jobs;
        this.codec = codec;
        this.json = json;
    }

    /**
     * The {@code limit} worst entries of {@code model} in {@code run}, worst first; empty when the run is not a
     * zero-shot one or the model's job (with its outcomes) is gone. Memory is bounded by {@code limit}.
     */
    public Optional<List<Example>> worst(EvalRun run, EvalRunModel model, int limit) {
        if (!EvaluateJob.ZERO_SHOT.equals(run.task()) || model.jobId() == null
                || jobs.find(run.tenantId(), model.jobId()).isEmpty()) {
            return Optional.empty();
        }
        List<String> classes = run.classes(json);
        PriorityQueue<Example> kept = new PriorityQueue<>(BETTER_FIRST); // head: the least bad one kept
        int after = -1;
        List<JobItem> page;
        do {
            page = jobs.items(run.tenantId(), model.jobId(), "succeeded", after, PAGE);
            for (JobItem item : page) {
                for (EvaluateJob.Entry entry : codec.readResult(EvaluateJob.CONTRACT, item.resultJson()).entries()) {
                    example(entry, classes).ifPresent(e -> {
                        kept.add(e);
                        if (kept.size() > limit) {
                            kept.poll();
                        }
                    });
                }
                after = item.seq();
            }
        } while (page.size() == PAGE);
        List<Example> out = new ArrayList<>(kept);
        out.sort(BETTER_FIRST.reversed());
        return Optional.of(out);
    }

    private static Optional<Example> example(EvaluateJob.Entry entry, List<String> classes) {
        double[] row = ZeroShotRow.of(entry, classes.size());
        int predicted = Ranks.predicted(row, entry.truth());
        if (predicted == entry.truth()) {
            return Optional.empty();
        }
        Double trueScore = null;
        for (int k = 0; k < entry.top().length; k++) {
            if (entry.top()[k] == entry.truth()) {
                trueScore = entry.scores()[k];
            }
        }
        return Optional.of(new Example(entry.seq(), classes.get(entry.truth()), classes.get(predicted),
                row[predicted], trueScore, Ranks.of(row, entry.truth())));
    }
}
