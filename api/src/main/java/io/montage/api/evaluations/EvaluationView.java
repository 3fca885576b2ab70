package io.montage.api.evaluations;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.montage.api.jobs.JobView;
import io.montage.evaluation.runs.EvalRun;
import io.montage.evaluation.runs.EvalRunModel;
import io.montage.evaluation.runs.Pareto;
import io.montage.jobs.Job;
import io.montage.json.JsonCodec;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * An evaluation run on the wire: its task and status, the reproducibility record, and per model the exact bundle,
 * its job's progress, and once done its metrics and cost (or why it has none). The metrics' and cost's JSON is the
 * stored one (docs/evaluation.md names every field), passed through as maps.
 */
@Serdeable
public record EvaluationView(UUID id, String object, String task, String status, Map<String, Object> record,
                             List<ModelRun> models, Instant createdAt, @Nullable Instant finishedAt) {

    /**
     * One model of the run; {@code progress} while its job is kept (null once the job has expired);
     * {@code paretoBest} when no other model of the run beats it on quality, items/s and memory ({@link Pareto}).
     */
    @Serdeable
    public record ModelRun(String model, String modelSha256, @Nullable UUID jobId, @Nullable JobView.Counts progress,
                           @Nullable Map<String, Object> results, @Nullable Map<String, Object> cost,
                           @Nullable String failure, @Nullable Instant finishedAt, boolean paretoBest) {
    }

    static EvaluationView of(EvalRun run, Function<UUID, Optional<Job>> jobs, JsonCodec json) {
        List<Map<String, Object>> results = run.models().stream().map(m -> map(json, m.resultsJson())).toList();
        List<Map<String, Object>> costs = run.models().stream().map(m -> map(json, m.costJson())).toList();
        boolean[] front = Pareto.front(IntStream.range(0, results.size())
                .mapToObj(i -> Pareto.Point.of(run.task(), results.get(i), costs.get(i))).toList());
        List<ModelRun> models = IntStream.range(0, results.size())
                .mapToObj(i -> model(run.models().get(i), results.get(i), costs.get(i), front[i], jobs)).toList();
        return new EvaluationView(run.id(), "evaluation", run.task(), run.status(), map(json, run.recordJson()),
                models, run.createdAt(), run.finishedAt());
    }

    private static ModelRun model(EvalRunModel m, Map<String, Object> results, Map<String, Object> cost,
                                  boolean paretoBest, Function<UUID, Optional<Job>> jobs) {
        JobView.Counts progress = m.jobId() == null ? null
                : jobs.apply(m.jobId()).map(job -> JobView.of(job).counts()).orElse(null);
        return new ModelRun(m.modelRef(), m.modelSha256(), m.jobId(), progress, results, cost, m.failure(),
                m.finishedAt(), paretoBest);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(JsonCodec json, String text) {
        return text == null ? null : json.read(text, Map.class);
    }
}
