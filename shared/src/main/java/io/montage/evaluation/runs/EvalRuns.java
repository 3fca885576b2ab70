package io.montage.evaluation.runs;

import io.montage.datasets.Dataset;
import io.montage.datasets.DatasetClass;
import io.montage.datasets.DatasetKind;
import io.montage.datasets.DatasetSpace;
import io.montage.datasets.DatasetVersion;
import io.montage.datasets.Datasets;
import io.montage.db.Database;
import io.montage.errors.MontageException;
import io.montage.jobs.Job;
import io.montage.jobs.JobIntake;
import io.montage.jobs.NewItem;
import io.montage.jobs.Priority;
import io.montage.jobs.contracts.EvaluateJob;
import io.montage.jobs.contracts.JobCodec;
import io.montage.json.JsonCodec;
import io.montage.models.Model;
import io.montage.models.ModelManifest;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Starts evaluation runs and reads them. A run and its jobs (one per model, each item a range of the dataset's
 * entries) are created in one tenant transaction: the run exists exactly when its jobs do. The workers' finisher
 * ({@link #finishEnded}) completes the models whose jobs have ended ({@link EvalRunResults}), and so does reading a
 * run, so the metrics appear within a finisher interval of the last task whether or not anyone reads the run
 * (ADR 0015). An admin may cancel a whole run ({@link #cancel}).
 */
@Singleton
public class EvalRuns {

    private final Database database;
    private final Datasets datasets;
    private final JobIntake intake;
    private final JobCodec codec;
    private final JsonCodec json;
    private final EvalRunResults results;
    private final EvalEntries entries;
    private final EvaluationConfig config;

    EvalRuns(Database database, Datasets datasets, JobIntake intake, JobCodec codec, JsonCodec json,
             EvalRunResults results, EvalEntries entries, EvaluationConfig config) {
        this.database = database;
        this.datasets = datasets;
        this.intake = intake;
        this.codec = codec;
        this.json = json;
        this.results = results;
        this.entries = entries;
        this.config = config;
    }

    /**
     * Starts a run of {@code models} (ready ones) on a version of the dataset {@code name} (the tenant's own, else the
     * shared space's; {@code versionNumber} null = the newest) for {@code task}. Templates (zero-shot only; null or
     * empty = the first model's manifest's, so every model of the run is asked the same prompts).
     */
    public EvalRun start(UUID tenantId, String name, Integer versionNumber, String task, List<Model> models,
                         List<String> templates) {
        if (!EvaluateJob.ZERO_SHOT.equals(task) && !EvaluateJob.RETRIEVAL.equals(task)) {
            throw MontageException.invalid("invalid_task", "the task is " + EvaluateJob.ZERO_SHOT + " or "
                    + EvaluateJob.RETRIEVAL);
        }
        if (models.isEmpty() || models.stream().map(Model::id).distinct().count() != models.size()) {
            throw MontageException.invalid("invalid_models", "name one model or more, each once");
        }
        for (Model model : models) {
            checkKind(model, task);
        }
        Dataset dataset = datasets.find(DatasetSpace.of(tenantId), name)
                .or(() -> datasets.find(DatasetSpace.SHARED, name))
                .orElseThrow(() -> MontageException.notFound("dataset_not_found", "no dataset '" + name
                        + "' in the tenant's space or the shared one"));
        DatasetVersion version = datasets.versions(dataset).stream()
                .filter(v -> versionNumber == null || v.number() == versionNumber).findFirst()
                .orElseThrow(() -> MontageException.notFound("dataset_version_not_found", "the dataset " + name
                        + " has no version " + versionNumber));
        boolean zeroShot = EvaluateJob.ZERO_SHOT.equals(task);
        List<String> labels = List.of();
        List<String> prompts = List.of();
        if (zeroShot) {
            if (dataset.kind() != DatasetKind.CLASSIFICATION) {
                throw MontageException.invalid("dataset_kind_mismatch", "zero-shot classification needs a "
                        + "classification dataset; " + name + " is a " + dataset.kind().wireName() + " dataset");
            }
            labels = datasets.classes(dataset.space(), version.id()).stream()
                    .sorted(Comparator.comparingInt(DatasetClass::ordinal)).map(DatasetClass::label).toList();
            for (Model model : models) {
                checkLabels(model, labels, name);
            }
            prompts = templates != null && !templates.isEmpty() ? List.copyOf(templates)
                    : defaultTemplates(models.getFirst());
            checkTemplates(prompts);
        } else if (dataset.kind() != DatasetKind.RETRIEVAL) {
            throw MontageException.invalid("dataset_kind_mismatch", "retrieval needs a retrieval dataset (images "
                    + "with captions); " + name + " is a " + dataset.kind().wireName() + " dataset");
        }
        long cells = (long) version.entryCount() * (zeroShot ? labels.size()
                : entries.captionCount(tenantId, version.id()));
        if (cells > config.maxScoreCells()) {
            throw MontageException.invalid("evaluation_too_large", "the metrics of this run would hold " + cells
                    + " scores (" + (zeroShot ? "entries × classes" : "images × captions") + "), more than "
                    + "montage.evaluation.max-score-cells (" + config.maxScoreCells() + "); evaluate a smaller "
                    + "dataset version");
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("dataset", name);
        record.put("dataset_space", dataset.space().shared() ? "shared" : "tenant");
        record.put("dataset_version", version.number());
        record.put("dataset_sha256", version.contentSha256());
        record.put("entries", version.entryCount());
        record.put("classes", labels);
        record.put("templates", prompts);
        // how each model answers: a clip model by the templates' prompts, a fused one by its own head
        Map<String, String> kinds = new LinkedHashMap<>();
        models.forEach(m -> kinds.put(m.reference(), m.manifest().kind()));
        record.put("model_kinds", kinds);
        record.put("montage_version", montageVersion());
        List<String> classLabels = labels;
        List<String> runTemplates = prompts;
        UUID runId = database.inTenant(tenantId, c -> {
            UUID id = insertRun(c, tenantId, version.id(), task, runTemplates, json.write(record));
            for (int i = 0; i < models.size(); i++) {
                Model model = models.get(i);
                EvaluateJob.Params params = new EvaluateJob.Params(id, version.id(), task, classLabels, runTemplates);
                Job job = intake.enqueue(c, tenantId, codec.job(EvaluateJob.CONTRACT, Priority.BULK, params,
                        model.id(), config.retention(), ranges(version.entryCount())));
                insertModel(c, tenantId, id, i, model, job.id());
            }
            return id;
        });
        return find(tenantId, runId).orElseThrow();
    }

    /** The run, with every model whose job has ended completed first; empty for another tenant's run. */
    public Optional<EvalRun> find(UUID tenantId, UUID runId) {
        Optional<EvalRun> run = read(tenantId, runId);
        if (run.isPresent() && "running".equals(run.get().status())) {
            results.complete(run.get());
            return read(tenantId, runId);
        }
        return run;
    }

    /**
     * Cancels a running run: each model's job still queued or running is cancelled (its finished ranges are
     * discarded), the run becomes {@code cancelled}, and a model whose job had already succeeded keeps its metrics.
     *
     * @throws MontageException 404 evaluation_not_found (also another tenant's run), 409 evaluation_not_cancellable
     *                          when the run has already ended
     */
    public EvalRun cancel(UUID tenantId, UUID runId) {
        EvalRun run = read(tenantId, runId).orElseThrow(() -> MontageException.notFound("evaluation_not_found",
                "no evaluation run " + runId + " in this tenant"));
        // One commit: the run cancelled with its jobs. Cancelled one after the other, a finisher (the console's
        // poll, a worker's finishing step) could see a job cancelled while the run still ran and end it 'failed'.
        database.inTenant(tenantId, c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE eval_runs SET status = 'cancelled', "
                    + "finished_at = now() WHERE id = ? AND status = 'running' RETURNING status")) {
                update.setObject(1, runId);
                try (ResultSet rs = update.executeQuery()) {
                    if (!rs.next()) {
                        throw notCancellable(c, runId);
                    }
                }
            }
            for (EvalRunModel model : run.models()) {
                if (!model.done() && model.jobId() != null) {
                    cancelIfRunning(c, model.jobId());
                }
            }
            return null;
        });
        results.complete(read(tenantId, runId).orElseThrow()); // the models' ends; the run stays cancelled
        return read(tenantId, runId).orElseThrow();
    }

    private static MontageException notCancellable(Connection c, UUID runId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT status FROM eval_runs WHERE id = ?")) {
            select.setObject(1, runId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) { // deleted meanwhile (its tenant's retention)
                    return MontageException.notFound("evaluation_not_found", "no evaluation run " + runId
                            + " in this tenant");
                }
                return MontageException.conflict("evaluation_not_cancellable", "evaluation run " + runId
                        + " is already " + rs.getString(1));
            }
        }
    }

    /** Cancels the job unless it has ended meanwhile (completing the run then takes it as it ended). */
    private void cancelIfRunning(Connection c, UUID jobId) throws SQLException {
        try {
            intake.cancel(c, jobId);
        } catch (MontageException ended) {
            if (ended.status() != 409) { // job_not_cancellable; its statement failed nothing in the transaction
                throw ended;
            }
        }
    }

    /**
     * The finishing step: completes up to {@code limit} running runs of any tenant whose models' jobs have all
     * ended (or expired), oldest first, so their metrics are computed while the jobs' outcomes are kept. Safe on
     * many workers at once (a model is completed once); returns how many runs it looked at.
     */
    public int finishEnded(int limit) {
        List<Map.Entry<UUID, UUID>> ended = database.asSystem(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT r.id, r.tenant_id FROM eval_runs r "
                    + "WHERE r.status = 'running' AND NOT EXISTS (SELECT 1 FROM eval_run_models m JOIN jobs j "
                    + "ON j.id = m.job_id WHERE m.run_id = r.id AND m.finished_at IS NULL "
                    + "AND j.status IN ('queued', 'running')) ORDER BY r.created_at LIMIT ?")) {
                select.setInt(1, limit);
                List<Map.Entry<UUID, UUID>> runs = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        runs.add(Map.entry(rs.getObject(2, UUID.class), rs.getObject(1, UUID.class)));
                    }
                }
                return runs;
            }
        });
        ended.forEach(run -> find(run.getKey(), run.getValue()));
        return ended.size();
    }

    private Optional<EvalRun> read(UUID tenantId, UUID runId) {
        return database.inTenant(tenantId, c -> {
            List<EvalRunModel> models = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT position, model_id, model_ref, model_sha256, "
                    + "job_id, results, cost, failure, finished_at FROM eval_run_models WHERE run_id = ? "
                    + "ORDER BY position")) {
                select.setObject(1, runId);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        models.add(new EvalRunModel(rs.getInt(1), rs.getObject(2, UUID.class), rs.getString(3),
                                rs.getString(4), rs.getObject(5, UUID.class), rs.getString(6), rs.getString(7),
                                rs.getString(8), instant(rs.getTimestamp(9))));
                    }
                }
            }
            try (PreparedStatement select = c.prepareStatement("SELECT tenant_id, dataset_version_id, task, "
                    + "templates, status, record, created_at, finished_at FROM eval_runs WHERE id = ?")) {
                select.setObject(1, runId);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new EvalRun(runId, rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            rs.getString(3), Arrays.asList((String[]) rs.getArray(4).getArray()), rs.getString(5),
                            rs.getString(6), instant(rs.getTimestamp(7)), instant(rs.getTimestamp(8)), models));
                }
            }
        });
    }

    /** The entries in ranges of montage.evaluation.range-entries: one job item each. */
    private List<NewItem> ranges(int entries) {
        List<NewItem> items = new ArrayList<>();
        for (int from = 0; from < entries; from += config.rangeEntries()) {
            items.add(codec.item(EvaluateJob.CONTRACT, null,
                    new EvaluateJob.Input(from, Math.min(entries, from + config.rangeEntries()))));
        }
        return items;
    }

    /**
     * Retrieval ranks embeddings, which a fused model has none of; classification takes a fused model's own head
     * (image + caption → class probabilities), so only a labels model (not a scorer) answers it.
     */
    private static void checkKind(Model model, String task) {
        if (!model.manifest().fused()) {
            return;
        }
        if (!EvaluateJob.ZERO_SHOT.equals(task)) {
            throw MontageException.invalid("model_kind_mismatch", model.reference() + " is a fused model: it has "
                    + "no embeddings to rank, so it is evaluated on " + EvaluateJob.ZERO_SHOT + " (its own classes "
                    + "from image + caption), not " + task);
        }
        if (!ModelManifest.Output.LABELS.equals(model.manifest().output().type())) {
            throw MontageException.invalid("model_kind_mismatch", model.reference() + " is a fused scorer (output "
                    + "'" + model.manifest().output().name() + "'); classification runs evaluate fused classifiers "
                    + "(output type labels)");
        }
    }

    /** A fused classifier answers its manifest's labels: they must be the dataset's classes, in any order. */
    private static void checkLabels(Model model, List<String> classes, String dataset) {
        if (model.manifest().fused() && !new TreeSet<>(model.manifest().output().labels())
                .equals(new TreeSet<>(classes))) {
            throw MontageException.invalid("label_mismatch", model.reference() + " answers the labels "
                    + model.manifest().output().labels() + "; the dataset " + dataset + " has the classes " + classes
                    + ": a fused classifier is evaluated on a dataset of exactly its labels");
        }
    }

    private static List<String> defaultTemplates(Model model) {
        List<String> fromManifest = model.manifest().zeroShotTemplates();
        return fromManifest == null || fromManifest.isEmpty() ? List.of("{}") : List.copyOf(fromManifest);
    }

    private static void checkTemplates(List<String> templates) {
        if (templates.size() > 100 || templates.stream().anyMatch(t -> t == null || !t.contains("{}")
                || t.length() > 300)) {
            throw MontageException.invalid("invalid_templates", "give at most 100 templates, each at most 300 "
                    + "characters with {} where the label goes");
        }
    }

    /**
     * The bundle's identity: SHA-256 over its manifest's file hashes ("path sha256" lines in path order), so two
     * registrations of the same files have the same value and any changed weight file changes it.
     */
    static String modelSha256(Model model) {
        StringBuilder lines = new StringBuilder();
        new TreeMap<>(model.manifest().files()).forEach((path, sha) -> lines.append(path).append(' ')
                .append(sha).append('\n'));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(lines.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The jar's Implementation-Version when packaged; "development" when run from classes (tests, the IDE). */
    static String montageVersion() {
        String version = EvalRuns.class.getPackage().getImplementationVersion();
        return version != null ? version : "development";
    }

    private static UUID insertRun(Connection c, UUID tenantId, UUID versionId, String task, List<String> templates,
                                  String record) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO eval_runs (tenant_id, dataset_version_id, "
                + "task, templates, record) VALUES (?, ?, ?, ?, ?::jsonb) RETURNING id")) {
            insert.setObject(1, tenantId);
            insert.setObject(2, versionId);
            insert.setString(3, task);
            insert.setArray(4, c.createArrayOf("text", templates.toArray()));
            insert.setString(5, record);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return rs.getObject(1, UUID.class);
            }
        }
    }

    private static void insertModel(Connection c, UUID tenantId, UUID runId, int position, Model model, UUID jobId)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO eval_run_models (run_id, tenant_id, "
                + "position, model_id, model_ref, model_sha256, job_id) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, runId);
            insert.setObject(2, tenantId);
            insert.setInt(3, position);
            insert.setObject(4, model.id());
            insert.setString(5, model.reference());
            insert.setString(6, modelSha256(model));
            insert.setObject(7, jobId);
            insert.executeUpdate();
        }
    }

    private static java.time.Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
