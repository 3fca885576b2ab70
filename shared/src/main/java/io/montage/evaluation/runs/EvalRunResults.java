package io.montage.evaluation.runs;

import io.montage.db.Database;
import io.montage.evaluation.GateMetric;
import io.montage.evaluation.metrics.ClassMetrics;
import io.montage.evaluation.metrics.Classification;
import io.montage.evaluation.metrics.ClassificationReport;
import io.montage.evaluation.metrics.RankSummary;
import io.montage.evaluation.metrics.Relevance;
import io.montage.evaluation.metrics.Retrieval;
import io.montage.jobs.Job;
import io.montage.jobs.JobItem;
import io.montage.jobs.JobStatus;
import io.montage.jobs.Jobs;
import io.montage.jobs.contracts.EvaluateJob;
import io.montage.jobs.contracts.JobCodec;
import io.montage.json.JsonCodec;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Completes a run's models whose jobs have ended: a succeeded job's per-entry outcomes become the model's metrics
 * (computed by the metrics module) and cost; a failed, cancelled or expired job becomes the model's failure. Each
 * model is completed once: the update only takes a row still without an end, so two readers racing compute the
 * same numbers and one of them writes them.
 */
@Singleton
class EvalRunResults {

    private static final int PAGE = 1000;

    private final Database database;
    private final Jobs jobs;
    private final JobCodec codec;
    private final JsonCodec json;
    private final EvalEntries entries;

    EvalRunResults(Database database, Jobs jobs, JobCodec codec, JsonCodec json, EvalEntries entries) {
        this.database = database;
        this.jobs = jobs;
        this.codec = codec;
        this.json = json;
        this.entries = entries;
    }

    void complete(EvalRun run) {
        for (EvalRunModel model : run.models()) {
            if (model.done()) {
                continue;
            }
            Optional<Job> job = model.jobId() == null ? Optional.empty() : jobs.find(run.tenantId(), model.jobId());
            if (job.isEmpty()) {
                finish(run, model, null, null, "the model's job expired before its results were read");
            } else if (job.get().status() == JobStatus.SUCCEEDED && job.get().failedItems() > 0) {
                finish(run, model, null, null, job.get().failedItems() + " ranges of entries failed (GET /v1/jobs/"
                        + job.get().id() + "/items?status=failed says why): metrics of part of the dataset would "
                        + "not be the dataset's");
            } else if (job.get().status() == JobStatus.SUCCEEDED) {
                Outcomes outcomes = outcomes(run, job.get());
                finish(run, model, json.write(EvaluateJob.ZERO_SHOT.equals(run.task())
                        ? zeroShot(run, outcomes.entries) : retrieval(run, outcomes.entries)),
                        json.write(cost(job.get(), outcomes)), null);
            } else if (job.get().status() == JobStatus.FAILED || job.get().status() == JobStatus.CANCELLED) {
                finish(run, model, null, null, "the model's job " + job.get().status().name().toLowerCase()
                        + " (GET /v1/jobs/" + job.get().id() + " says why)");
            }
        }
        database.inTenant(run.tenantId(), c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE eval_runs SET status = CASE WHEN EXISTS ("
                    + "SELECT 1 FROM eval_run_models WHERE run_id = ? AND failure IS NOT NULL) THEN 'failed' "
                    + "ELSE 'succeeded' END, finished_at = now() WHERE id = ? AND status = 'running' AND NOT EXISTS ("
                    + "SELECT 1 FROM eval_run_models WHERE run_id = ? AND finished_at IS NULL)")) {
                update.setObject(1, run.id());
                update.setObject(2, run.id());
                update.setObject(3, run.id());
                return update.executeUpdate();
            }
        });
    }

    /** A job's outcomes: every entry in seq order, and each range's cost sample. */
    private record Outcomes(List<EvaluateJob.Entry> entries, List<EvaluateJob.Result> ranges) {
    }

    private Outcomes outcomes(EvalRun run, Job job) {
        List<EvaluateJob.Entry> all = new ArrayList<>();
        List<EvaluateJob.Result> ranges = new ArrayList<>();
        int after = -1;
        while (true) {
            List<JobItem> page = jobs.items(run.tenantId(), job.id(), null, after, PAGE);
            for (JobItem item : page) {
                EvaluateJob.Result result = codec.readResult(EvaluateJob.CONTRACT, item.resultJson());
                ranges.add(result);
                all.addAll(result.entries());
                after = item.seq();
            }
            if (page.size() < PAGE) {
                return new Outcomes(all, ranges);
            }
        }
    }

    /** Zero-shot metrics from each entry's best classes, completed to full rows by {@link ZeroShotRow}. */
    Map<String, Object> zeroShot(EvalRun run, List<EvaluateJob.Entry> outcomes) {
        List<String> classes = run.classes(json);
        double[][] scores = new double[outcomes.size()][];
        int[] truth = new int[outcomes.size()];
        for (int i = 0; i < scores.length; i++) {
            EvaluateJob.Entry e = outcomes.get(i);
            scores[i] = ZeroShotRow.of(e, classes.size());
            truth[i] = e.truth();
        }
        ClassificationReport report = Classification.evaluate(scores, truth, Classification.DEFAULT_K);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("examples", report.examples());
        out.put("top1_accuracy", report.accuracy());
        out.put("top5_accuracy", report.topK().get(5));
        out.put("macro", Map.of("precision", report.macro().precision(), "recall", report.macro().recall(),
                "f1", report.macro().f1()));
        out.put("weighted", Map.of("precision", report.weighted().precision(), "recall",
                report.weighted().recall(), "f1", report.weighted().f1()));
        List<Map<String, Object>> perClass = new ArrayList<>();
        for (ClassMetrics c : report.perClass()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("label", classes.get(c.label()));
            row.put("support", c.support());
            row.put("predictions", c.predictions());
            row.put("correct", c.correct());
            row.put("precision", c.precision());
            row.put("recall", c.recall());
            row.put("f1", c.f1());
            perClass.add(row);
        }
        out.put("per_class", perClass);
        out.put("confusion_matrix", report.confusion().rows());
        out.put("gate", gate(GateMetric.of(report)));
        return out;
    }

    /** Retrieval metrics: the cosine of every image with every caption, relevance by caption text. */
    Map<String, Object> retrieval(EvalRun run, List<EvaluateJob.Entry> outcomes) {
        List<List<String>> captionsBySeq = entries.captions(run.tenantId(), run.datasetVersionId());
        List<String> texts = new ArrayList<>();
        List<double[]> captionVectors = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        double[][] images = new double[outcomes.size()][];
        for (int i = 0; i < images.length; i++) {
            EvaluateJob.Entry e = outcomes.get(i);
            images[i] = unit(e.image());
            List<String> captions = captionsBySeq.get(e.seq());
            for (int k = 0; k < e.captions().size(); k++) {
                texts.add(captions.get(k));
                captionVectors.add(unit(e.captions().get(k)));
                owners.add(i);
            }
        }
        double[][] similarity = new double[images.length][captionVectors.size()];
        for (int i = 0; i < images.length; i++) {
            for (int c = 0; c < captionVectors.size(); c++) {
                similarity[i][c] = dot(images[i], captionVectors.get(c));
            }
        }
        Relevance relevance = Relevance.ofCaptions(images.length, owners.stream().mapToInt(Integer::intValue)
                .toArray(), texts);
        Retrieval.Report report = Retrieval.evaluate(similarity, relevance, Retrieval.DEFAULT_K);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("images", images.length);
        out.put("captions", texts.size());
        out.put("image_to_text", direction(report.imageToText()));
        out.put("text_to_image", direction(report.textToImage()));
        out.put("gate", gate(GateMetric.of(report)));
        return out;
    }

    private static Map<String, Object> direction(RankSummary summary) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("queries", summary.queries());
        out.put("candidates", summary.candidates());
        Map<String, Double> recall = new LinkedHashMap<>();
        summary.recallAtK().forEach((k, v) -> recall.put(String.valueOf(k), v));
        out.put("recall_at_k", recall);
        out.put("median_rank", summary.medianRank());
        out.put("mrr", summary.meanReciprocalRank());
        return out;
    }

    private static Map<String, Double> gate(Map<GateMetric, Double> values) {
        Map<String, Double> out = new LinkedHashMap<>();
        values.forEach((metric, value) -> out.put(metric.wireName(), value));
        return out;
    }

    /**
     * Items/s over the job's run time, each range's latency (p50, p99, nearest rank), the worker's peaks, the
     * model's weights (when the worker recorded them).
     */
    private static Map<String, Object> cost(Job job, Outcomes outcomes) {
        double[] millis = outcomes.ranges.stream().mapToDouble(EvaluateJob.Result::millis).sorted().toArray();
        double seconds = Duration.between(job.startedAt() != null ? job.startedAt() : job.createdAt(),
                job.finishedAt()).toNanos() / 1e9;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("entries", outcomes.entries.size());
        out.put("seconds", seconds);
        out.put("items_per_second", seconds > 0 ? outcomes.entries.size() / seconds : null);
        out.put("batch_entries", outcomes.ranges.isEmpty() ? 0 : outcomes.ranges.getFirst().entries().size());
        out.put("batch_latency_ms_p50", percentile(millis, 0.50));
        out.put("batch_latency_ms_p99", percentile(millis, 0.99));
        out.put("peak_heap_bytes", outcomes.ranges.stream().mapToLong(EvaluateJob.Result::heapBytes).max().orElse(0));
        out.put("peak_rss_bytes", outcomes.ranges.stream().mapToLong(EvaluateJob.Result::rssBytes).max().orElse(0));
        outcomes.ranges.stream().map(EvaluateJob.Result::modelBytes).filter(Objects::nonNull).max(Long::compare)
                .ifPresent(bytes -> out.put("model_bytes", bytes));
        return out;
    }

    private static double percentile(double[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private void finish(EvalRun run, EvalRunModel model, String results, String cost, String failure) {
        database.inTenant(run.tenantId(), c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE eval_run_models SET results = ?::jsonb, "
                    + "cost = ?::jsonb, failure = ?, finished_at = now() WHERE run_id = ? AND position = ? "
                    + "AND finished_at IS NULL")) {
                update.setString(1, results);
                update.setString(2, cost);
                update.setString(3, failure);
                update.setObject(4, run.id());
                update.setInt(5, model.position());
                return update.executeUpdate();
            }
        });
    }

    private static double[] unit(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        double norm = Math.sqrt(sum);
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = norm > 0 ? v[i] / norm : 0;
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
