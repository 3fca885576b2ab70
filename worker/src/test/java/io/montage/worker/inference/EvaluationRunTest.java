package io.montage.worker.inference;

import io.micronaut.json.tree.JsonNode;
import io.montage.datasets.DatasetImporter;
import io.montage.datasets.DatasetKind;
import io.montage.datasets.DatasetSpace;
import io.montage.datasets.ImportReport;
import io.montage.datasets.ReadyMade;
import io.montage.errors.MontageException;
import io.montage.evaluation.runs.EvalRun;
import io.montage.evaluation.runs.EvalRunModel;
import io.montage.evaluation.runs.EvalRuns;
import io.montage.evaluation.runs.Pareto;
import io.montage.jobs.contracts.EvaluateJob;
import io.montage.json.JsonCodec;
import io.montage.models.Model;
import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Evaluation runs end to end: a dataset imported with the datasets module, a run started as the admin command does,
 * its jobs run by this JVM's worker (real DJL), its metrics computed from the stored outcomes on the first read
 * after the last task. The full Fashion-MNIST test split gives the trainer's 91.55 % cell for cell; a rerun of the
 * same inputs gives the same metrics; the demo's int8 and bf16 variants compare on quality, speed and memory; a
 * retrieval run on Tux Paint reports recall@k; another tenant sees nothing.
 */
class EvaluationRunTest {

    private static final Duration WAIT = Duration.ofMinutes(10);

    private final EvalRuns runs = SharedContext.bean(EvalRuns.class);
    private final DatasetImporter importer = SharedContext.bean(DatasetImporter.class);
    private final JsonCodec json = SharedContext.bean(JsonCodec.class);

    @Test
    void theDemoBundleOnTheImportedTestSplitGivesTheTrainersAccuracyExactly() throws Exception {
        Tenant tenant = SharedContext.newTenant();
        Model demo = DemoBundle.served();
        ImportReport imported = importer.importInto(DatasetSpace.of(tenant.id()), "fashion-mnist-test",
                DatasetKind.CLASSIFICATION, ReadyMade.FASHION_MNIST_TEST.source(ReadyMade.DEFAULT_ROOT));
        long started = System.nanoTime();
        EvalRun run = finished(tenant, runs.start(tenant.id(), "fashion-mnist-test", null, EvaluateJob.ZERO_SHOT,
                List.of(demo), null));
        System.out.printf("evaluation run of %s on 10,000 images: %.1f s%n", demo.reference(),
                (System.nanoTime() - started) / 1e9);
        assertEquals("succeeded", run.status(), String.valueOf(run.models()));
        Map<String, Object> results = map(run.models().getFirst().resultsJson());
        assertEquals(0.9155, ((Number) results.get("top1_accuracy")).doubleValue(), 0.0, "TRAINING.md: 91.55 %");
        assertEquals(TrainingReport.of(DemoBundle.DIR).confusion(), longs(results.get("confusion_matrix")),
                "the confusion matrix of TRAINING.md");

        Map<String, Object> record = map(run.recordJson());
        assertEquals(imported.version().contentSha256(), record.get("dataset_sha256"));
        assertEquals(1, ((Number) record.get("dataset_version")).intValue());
        assertEquals(demo.manifest().zeroShotTemplates(), record.get("templates"));
        EvalRunModel model = run.models().getFirst();
        assertEquals(demo.reference(), model.modelRef());
        assertTrue(model.modelSha256().matches("[0-9a-f]{64}"), model.modelSha256());

        Map<String, Object> cost = map(model.costJson());
        System.out.println("cost: " + cost);
        assertEquals(10_000, ((Number) cost.get("entries")).intValue());
        assertTrue(((Number) cost.get("items_per_second")).doubleValue() > 0, cost.toString());
        assertTrue(((Number) cost.get("batch_latency_ms_p50")).doubleValue()
                <= ((Number) cost.get("batch_latency_ms_p99")).doubleValue(), cost.toString());
        assertTrue(((Number) cost.get("peak_heap_bytes")).longValue() > 0, cost.toString());
        assertTrue(((Number) cost.get("peak_rss_bytes")).longValue() >= ((Number) cost.get("peak_heap_bytes"))
                .longValue() / 4, "resident set of a JVM with a model loaded: " + cost);
    }

    @Test
    void rerunningTheSameInputsGivesIdenticalMetricsForEveryModel() throws Exception {
        Tenant tenant = SharedContext.newTenant();
        List<Model> models = List.of(DemoBundle.served(), DemoBundle.served(DemoBundle.SMALL_DIR));
        importer.importInto(DatasetSpace.of(tenant.id()), "fashion-slice", DatasetKind.CLASSIFICATION,
                new FirstEntries(ReadyMade.FASHION_MNIST_TEST.source(ReadyMade.DEFAULT_ROOT), 1000));
        EvalRun first = finished(tenant, runs.start(tenant.id(), "fashion-slice", 1, EvaluateJob.ZERO_SHOT, models,
                null));
        EvalRun second = finished(tenant, runs.start(tenant.id(), "fashion-slice", 1, EvaluateJob.ZERO_SHOT, models,
                null));
        assertNotEquals(first.id(), second.id());
        assertEquals(2, first.models().size(), "one job per model");
        for (int m = 0; m < models.size(); m++) {
            assertEquals("succeeded", first.status(), String.valueOf(first.models()));
            assertEquals(map(first.models().get(m).resultsJson()), map(second.models().get(m).resultsJson()),
                    "the same model, dataset version and templates: the same metrics");
            assertEquals(1000, ((Number) map(first.models().get(m).resultsJson()).get("examples")).intValue());
        }
        assertNotEquals(first.models().get(0).modelSha256(), first.models().get(1).modelSha256());
        double demo = ((Number) map(first.models().get(0).resultsJson()).get("top1_accuracy")).doubleValue();
        double small = ((Number) map(first.models().get(1).resultsJson()).get("top1_accuracy")).doubleValue();
        assertTrue(demo > small, "the demo bundle beats its 600-image sibling on the slice too: " + demo + " vs " + small);
        assertEquals(map(first.recordJson()), map(second.recordJson()));
    }

    /**
     * The demo bundle and its int8 and bf16 variants (deploy/models/make_variants.py), each registered as its own
     * version and validated by the worker, in one run: each variant within a point of fp32's top-1, each model's
     * weights recorded, and the comparison's Pareto front marks int8 (the smallest weights: nothing can beat it on
     * all axes) and a model of the best top-1, and leaves off only a model that one on the front beats on every
     * axis (fp32, when int8 ties its top-1 and is also faster in the run).
     */
    @Test
    void aRunOfTheVariantsComparesQualitySpeedAndMemoryAndMarksTheParetoBest() throws Exception {
        Tenant tenant = SharedContext.newTenant();
        List<Model> models = List.of(DemoBundle.served(), DemoBundle.served(DemoBundle.variant(DemoBundle.DIR, "int8")),
                DemoBundle.served(DemoBundle.variant(DemoBundle.DIR, "bf16")));
        importer.importInto(DatasetSpace.of(tenant.id()), "fashion-variants", DatasetKind.CLASSIFICATION,
                new FirstEntries(ReadyMade.FASHION_MNIST_TEST.source(ReadyMade.DEFAULT_ROOT), 1000));
        EvalRun run = finished(tenant, runs.start(tenant.id(), "fashion-variants", 1, EvaluateJob.ZERO_SHOT, models,
                null));
        assertEquals("succeeded", run.status(), String.valueOf(run.models()));

        List<Pareto.Point> points = new ArrayList<>();
        for (int m = 0; m < models.size(); m++) {
            EvalRunModel model = run.models().get(m);
            assertEquals(models.get(m).reference(), model.modelRef());
            Map<String, Object> cost = map(model.costJson());
            Path weights = models.get(m).bundlePath().resolve(models.get(m).manifest().torchscript().file());
            assertEquals(Files.size(weights), ((Number) cost.get("model_bytes")).longValue(), model.modelRef());
            points.add(Pareto.Point.of(run.task(), map(model.resultsJson()), cost));
            System.out.println(model.modelRef() + ": " + points.getLast());
        }
        double fp32 = points.get(0).quality();
        for (Pareto.Point variant : points.subList(1, 3)) {
            assertEquals(fp32, variant.quality(), 0.01, "a variant keeps the fp32 top-1 within a point: " + points);
        }
        assertTrue(points.get(1).modelBytes() < points.get(2).modelBytes()
                && points.get(2).modelBytes() < points.get(0).modelBytes(), "int8 < bf16 < fp32 weights: " + points);

        boolean[] front = Pareto.front(points);
        assertTrue(front[1], "int8 has the smallest weights: on the front whatever its speed " + points);
        double bestQuality = points.stream().mapToDouble(Pareto.Point::quality).max().orElseThrow();
        assertTrue(IntStream.range(0, points.size()).anyMatch(i -> front[i] && points.get(i).quality() == bestQuality),
                "a model of the best top-1 is on the front (of equal ones, one may beat the other): " + points);
        for (int i = 0; i < points.size(); i++) {
            Pareto.Point p = points.get(i);
            boolean beaten = IntStream.range(0, points.size()).anyMatch(j -> front[j] && beatenOnEveryAxis(p,
                    points.get(j)));
            assertEquals(!front[i], beaten, "off the front exactly when beaten on every axis: " + points);
        }
    }

    private static boolean beatenOnEveryAxis(Pareto.Point p, Pareto.Point by) {
        boolean noWorse = by.quality() >= p.quality() && by.itemsPerSecond() >= p.itemsPerSecond()
                && by.memoryBytes() <= p.memoryBytes() && by.modelBytes() <= p.modelBytes();
        return noWorse && !by.equals(p);
    }

    @Test
    void aRetrievalRunOnTuxPaintReportsRecallAtK() throws Exception {
        Tenant tenant = SharedContext.newTenant();
        Model demo = DemoBundle.served();
        ImportReport imported = importer.importInto(DatasetSpace.of(tenant.id()), "tuxpaint", DatasetKind.RETRIEVAL,
                ReadyMade.TUXPAINT.source(ReadyMade.DEFAULT_ROOT));
        EvalRun run = finished(tenant, runs.start(tenant.id(), "tuxpaint", null, EvaluateJob.RETRIEVAL,
                List.of(demo), null));
        assertEquals("succeeded", run.status(), String.valueOf(run.models()));
        Map<String, Object> results = map(run.models().getFirst().resultsJson());
        System.out.println("tuxpaint retrieval: " + results);
        assertEquals(imported.version().entryCount(), ((Number) results.get("images")).intValue());
        for (String direction : List.of("image_to_text", "text_to_image")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> d = (Map<String, Object>) results.get(direction);
            @SuppressWarnings("unchecked")
            Map<String, Number> recall = (Map<String, Number>) d.get("recall_at_k");
            double at1 = recall.get("1").doubleValue();
            double at5 = recall.get("5").doubleValue();
            double at10 = recall.get("10").doubleValue();
            assertTrue(0 <= at1 && at1 <= at5 && at5 <= at10 && at10 <= 1, direction + ": " + recall);
            double mrr = ((Number) d.get("mrr")).doubleValue();
            assertTrue(mrr >= at1 && mrr <= 1, direction + " MRR " + mrr + " vs recall@1 " + at1);
        }
    }

    @Test
    void theFusedDemoOnItsHeldOutSplitGivesItsTrainersAccuracyAndConfusionExactly() throws Exception {
        Tenant tenant = SharedContext.newTenant();
        Model fused = DemoBundle.served(DemoBundle.FUSED_DIR);
        JsonNode heldOut = DemoBundle.fusedHeldOut();
        ImportReport imported = importer.importInto(DatasetSpace.of(tenant.id()), "tuxpaint-held-out",
                DatasetKind.CLASSIFICATION, new HeldOutStamps(heldOut));
        assertEquals(118, imported.version().entryCount());
        EvalRun run = finished(tenant, runs.start(tenant.id(), "tuxpaint-held-out", null, EvaluateJob.ZERO_SHOT,
                List.of(fused), null));
        assertEquals("succeeded", run.status(), String.valueOf(run.models()));
        Map<String, Object> results = map(run.models().getFirst().resultsJson());
        System.out.println("tuxpaint-fused-mini on its held-out split: " + results);
        assertEquals(118, ((Number) results.get("examples")).intValue());
        assertEquals(heldOut.get("accuracy").getDoubleValue(), ((Number) results.get("top1_accuracy")).doubleValue(),
                0.0, "TRAINING.md: 70.34 % (83/118), the trainer's held-out accuracy");
        assertEquals(83, heldOut.get("correct").getIntValue());

        // the trainer's own answers, item by item: the confusion matrix and each class's precision, recall and F1
        List<String> labels = new HeldOutStamps(heldOut).classOrder();
        long[][] confusion = new long[labels.size()][labels.size()];
        for (JsonNode item : heldOut.get("items").values()) {
            confusion[labels.indexOf(item.get("label").getStringValue())]
                    [labels.indexOf(item.get("predicted").getStringValue())]++;
        }
        assertEquals(java.util.Arrays.stream(confusion).map(row -> java.util.Arrays.stream(row).boxed().toList())
                .toList(), longs(results.get("confusion_matrix")));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> perClass = (List<Map<String, Object>>) results.get("per_class");
        assertEquals(labels, perClass.stream().map(c -> c.get("label")).toList());
        for (int c = 0; c < labels.size(); c++) {
            long correct = confusion[c][c];
            long support = java.util.Arrays.stream(confusion[c]).sum();
            int column = c;
            long predictions = java.util.Arrays.stream(confusion).mapToLong(row -> row[column]).sum();
            double precision = predictions == 0 ? 0 : (double) correct / predictions;
            double recall = (double) correct / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            Map<String, Object> row = perClass.get(c);
            assertEquals(support, ((Number) row.get("support")).longValue(), labels.get(c));
            assertEquals(precision, ((Number) row.get("precision")).doubleValue(), 1e-12, labels.get(c));
            assertEquals(recall, ((Number) row.get("recall")).doubleValue(), 1e-12, labels.get(c));
            assertEquals(f1, ((Number) row.get("f1")).doubleValue(), 1e-12, labels.get(c));
        }
    }

    @Test
    void aFusedModelIsRefusedWhereItCannotAnswer() throws Exception {
        Tenant tenant = SharedContext.newTenant();
        Model fused = DemoBundle.served(DemoBundle.FUSED_DIR);
        importer.importInto(DatasetSpace.of(tenant.id()), "tuxpaint", DatasetKind.RETRIEVAL,
                new HeldOutStamps(DemoBundle.fusedHeldOut()));
        MontageException retrieval = assertThrows(MontageException.class, () -> runs.start(tenant.id(), "tuxpaint",
                null, EvaluateJob.RETRIEVAL, List.of(fused), null));
        assertEquals("model_kind_mismatch", retrieval.code(), "a fused model has no embeddings to rank");
        importer.importInto(DatasetSpace.of(tenant.id()), "fashion-32", DatasetKind.CLASSIFICATION,
                new FirstEntries(ReadyMade.FASHION_MNIST_TEST.source(ReadyMade.DEFAULT_ROOT), 32));
        MontageException classes = assertThrows(MontageException.class, () -> runs.start(tenant.id(), "fashion-32",
                null, EvaluateJob.ZERO_SHOT, List.of(fused), null));
        assertEquals("label_mismatch", classes.code(), classes.getMessage());
    }

    @Test
    void anotherTenantNeitherSeesTheRunNorEvaluatesTheDataset() throws Exception {
        Tenant owner = SharedContext.newTenant();
        Tenant other = SharedContext.newTenant();
        Model demo = DemoBundle.served();
        importer.importInto(DatasetSpace.of(owner.id()), "private-slice", DatasetKind.CLASSIFICATION,
                new FirstEntries(ReadyMade.FASHION_MNIST_TEST.source(ReadyMade.DEFAULT_ROOT), 32));
        EvalRun run = runs.start(owner.id(), "private-slice", null, EvaluateJob.ZERO_SHOT, List.of(demo), null);
        assertTrue(runs.find(other.id(), run.id()).isEmpty(), "row-level security hides the run");
        MontageException refused = assertThrows(MontageException.class, () -> runs.start(other.id(), "private-slice",
                null, EvaluateJob.ZERO_SHOT, List.of(demo), null));
        assertEquals("dataset_not_found", refused.code());
        EvalRun done = finished(owner, run);
        assertEquals("succeeded", done.status());
        assertTrue(runs.find(other.id(), run.id()).isEmpty(), "nor once it has results");
    }

    private EvalRun finished(Tenant tenant, EvalRun run) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        EvalRun now = run;
        while ("running".equals(now.status()) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            now = runs.find(tenant.id(), run.id()).orElseThrow();
        }
        return now;
    }

    private Map<String, Object> map(String text) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = json.read(text, Map.class);
        return m;
    }

    private static List<List<Long>> longs(Object rows) {
        @SuppressWarnings("unchecked")
        List<List<Number>> r = (List<List<Number>>) rows;
        return r.stream().map(row -> row.stream().map(Number::longValue).toList()).toList();
    }
}
