package io.montage.worker.inference;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.montage.evaluation.GateDecision;
import io.montage.evaluation.GateMetric;
import io.montage.evaluation.GatePolicy;
import io.montage.evaluation.PromotionGate;
import io.montage.evaluation.Scorecard;
import io.montage.evaluation.metrics.ClassMetrics;
import io.montage.evaluation.metrics.Classification;
import io.montage.evaluation.metrics.ClassificationReport;
import io.montage.evaluation.metrics.ZeroShotScorer;
import io.montage.jobs.JobItem;
import io.montage.jobs.contracts.EmbedJob;
import io.montage.models.Model;
import io.montage.models.ModelStatus;
import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Agreement with the trainer. Each bundle's TRAINING.md holds what train_demo.py measured in Python on the
 * Fashion-MNIST test split; here the measurement is made again without the trainer's code: the worker embeds the
 * 10,000 images and the prompts through the queue (embed jobs, real DJL), and the metrics module builds the class
 * embeddings ({@link ZeroShotScorer}) and does the arithmetic ({@link Classification}). The confusion matrix must
 * match cell for cell, so the accuracies match exactly. Fed these results, the promotion gate refuses the small
 * bundle (retrained on 600 images) as the successor of the demo bundle and allows the reverse.
 */
class ZeroShotAgreementTest {

    /** The gate dataset's version as a run would record it (the test split's files, unchanged). */
    private static final String DATASET = "fashion-mnist-t10k";

    /** Each bundle evaluated once per test JVM (10,000 images each), for the agreement and the gate tests. */
    private static final Map<Path, ClassificationReport> REPORTS = new ConcurrentHashMap<>();

    private static final Tenant TENANT = SharedContext.newTenant();

    @Test
    void theDemoBundleReproducesTheTrainersAccuracyExactly() throws Exception {
        ClassificationReport report = report(DemoBundle.DIR);
        assertEquals(0.9155, report.accuracy(), 0.0, "TRAINING.md: 91.55 %");
        assertAgreesWith(TrainingReport.of(DemoBundle.DIR), report);
    }

    @Test
    void theSmallBundleReproducesItsAccuracyAndIsClearlyWorse() throws Exception {
        ClassificationReport report = report(DemoBundle.SMALL_DIR);
        assertAgreesWith(TrainingReport.of(DemoBundle.SMALL_DIR), report);
        assertTrue(report.accuracy() < 0.80, "the promotion gate's worse model: " + report.accuracy());
    }

    @Test
    void theGateRefusesTheSmallBundleAndAllowsTheDemoBundleOnTheseResults() throws Exception {
        Scorecard demo = scorecard(DemoBundle.DIR);
        Scorecard small = scorecard(DemoBundle.SMALL_DIR);
        GateDecision worse = PromotionGate.decide(GatePolicy.DEFAULT, DATASET, small.modelReference(), small,
                demo.modelReference(), demo);
        assertEquals("below_incumbent", worse.code(), worse.detail());
        assertFalse(worse.allowed());
        GateDecision better = PromotionGate.decide(new GatePolicy(GateMetric.MACRO_F1, 0), DATASET,
                demo.modelReference(), demo, small.modelReference(), small);
        assertTrue(better.allowed(), better.detail());
    }

    private static Scorecard scorecard(Path bundle) throws Exception {
        Model model = DemoBundle.served(bundle);
        return new Scorecard(UUID.randomUUID(), model.reference(), DATASET, GateMetric.of(report(bundle)));
    }

    private static ClassificationReport report(Path bundle) throws Exception {
        ClassificationReport known = REPORTS.get(bundle);
        if (known == null) {
            known = evaluate(bundle);
            REPORTS.put(bundle, known);
        }
        return known;
    }

    private static ClassificationReport evaluate(Path bundle) throws Exception {
        Model model = DemoBundle.served(bundle);
        assertEquals(ModelStatus.READY, model.status(), "validated by a worker: " + model.failureReason());
        List<String> templates = model.manifest().zeroShotTemplates();
        List<String> prompts = new ArrayList<>();
        for (String label : FashionMnist.CLASSES) {
            templates.forEach(t -> prompts.add(item("text", t.replace("{}", label))));
        }
        List<float[]> promptVectors = embeddings(QueuedJobs.run(TENANT, model, EmbedJob.NAME, Map.of(), prompts));
        List<List<float[]>> perClass = new ArrayList<>();
        for (int c = 0; c < FashionMnist.CLASSES.size(); c++) {
            perClass.add(promptVectors.subList(c * templates.size(), (c + 1) * templates.size()));
        }
        ZeroShotScorer scorer = ZeroShotScorer.fromPrompts(perClass);

        List<FashionMnist.Example> test = FashionMnist.testSplit();
        List<float[]> images = embeddings(QueuedJobs.run(TENANT, model, EmbedJob.NAME, Map.of(),
                test.stream().map(e -> "{\"image\":\"" + e.pngBase64() + "\"}").toList()));
        double[][] scores = new double[test.size()][];
        int[] labels = new int[test.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = scorer.scores(images.get(i));
            labels[i] = test.get(i).label();
        }
        ClassificationReport report = Classification.evaluate(scores, labels, Classification.DEFAULT_K);
        System.out.printf("%s: zero-shot top-1 %.4f, top-5 %.4f, macro F1 %.4f (Java, metrics module)%n",
                model.reference(), report.accuracy(), report.topK().get(5), report.macro().f1());
        return report;
    }

    /** The Java measurement is the Python one: every cell of the confusion matrix, so every accuracy. */
    static void assertAgreesWith(TrainingReport python, ClassificationReport java) {
        assertEquals(python.confusion(), java.confusion().rows(), "the confusion matrix of TRAINING.md");
        assertEquals(Math.round(python.accuracyPercent() * 100), java.confusion().correct(),
                "TRAINING.md's overall " + python.accuracyPercent() + " % of 10,000 images");
        for (ClassMetrics c : java.perClass()) {
            assertEquals(Math.round(python.perClassPercent().get(c.label()) * 10), c.correct(),
                    "class " + c.label() + ": " + python.perClassPercent().get(c.label()) + " % of 1,000 images");
            assertEquals(1000, c.support());
        }
    }

    private static String item(String key, String value) {
        try {
            return SharedContext.bean(JsonMapper.class).writeValueAsString(Map.of(key, value));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<float[]> embeddings(List<JobItem> items) throws Exception {
        JsonMapper json = SharedContext.bean(JsonMapper.class);
        List<float[]> out = new ArrayList<>(items.size());
        for (JobItem item : items) {
            out.add(DemoBundle.floats(json.readValue(item.resultJson(), JsonNode.class).get("embedding")));
        }
        return out;
    }
}
