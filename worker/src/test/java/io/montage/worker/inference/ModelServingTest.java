package io.montage.worker.inference;

import io.montage.evaluation.metrics.Classification;
import io.montage.evaluation.metrics.ClassificationReport;
import io.montage.jobs.contracts.ClassifyJob;
import io.montage.jobs.contracts.EmbedJob;
import io.montage.jobs.contracts.SimilarityJob;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.montage.db.Database;
import io.montage.jobs.JobItem;
import io.montage.models.Model;
import io.montage.models.ModelStatus;
import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;
import io.montage.workers.WorkerRegistry;
import io.montage.worker.tasks.ServedModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo model served the way production serves it: registered, validated by a worker (real DJL), loaded,
 * then embed / classify / similarity jobs through the real queue.
 */
class ModelServingTest {

    private static Model model;
    private static Tenant tenant;

    @BeforeAll
    static void registerAndServeTheDemoModel() throws Exception {
        tenant = SharedContext.newTenant();
        model = DemoBundle.served();
        assertEquals(ModelStatus.READY, model.status(), "validated by a worker: " + model.failureReason());
        assertTrue(SharedContext.bean(ServedModels.class).ids().contains(model.id()), "loaded by the worker");
        assertTrue(SharedContext.bean(WorkerRegistry.class).anyLiveWorkerHas("model:" + model.id(), Duration.ofMinutes(1)),
                "the worker advertises the model");
    }

    private static List<JobItem> run(String type, Object params, List<String> inputs) throws Exception {
        return QueuedJobs.run(tenant, model, type, params, inputs);
    }

    private static JsonNode json(String text) throws Exception {
        return SharedContext.bean(JsonMapper.class).readValue(text, JsonNode.class);
    }


    @Test
    void textAndRealPhotosEmbedAndBadImagesFailAlone() throws Exception {
        List<JobItem> items = run(EmbedJob.NAME, Map.of(), List.of("{\"text\":\"ankle boot\"}",
                DemoBundle.imageItem("tuxpaint_dog_q90.jpg"), DemoBundle.imageItem("tuxpaint_tiger_exif6.jpg"),
                "{\"image\":\"" + Base64.getEncoder().encodeToString("not an image".getBytes()) + "\"}"));
        for (int i = 0; i < 3; i++) {
            JsonNode embedding = json(items.get(i).resultJson()).get("embedding");
            assertEquals(model.manifest().embeddingDim(), embedding.size());
            assertEquals(1.0, norm(DemoBundle.floats(embedding)), 1e-4, "normalised as the manifest says");
        }
        assertEquals(2, json(items.get(0).resultJson()).get("tokens").getIntValue());
        assertEquals("unsupported_image_format", items.get(3).errorCode());
    }

    @Test
    void textsOverTheContextAreTruncatedAtTheEndOrRefusedAsAsked() throws Exception {
        int context = model.manifest().text().contextLength();
        String overContext = "{\"text\":\"" + "ankle boot ".repeat(context).trim() + "\"}";
        String withinContext = "{\"text\":\"ankle boot\"}";
        List<JobItem> byDefault = run(EmbedJob.NAME, Map.of(), List.of(overContext, withinContext));
        JsonNode truncated = json(byDefault.get(0).resultJson());
        assertEquals(true, truncated.get("truncated").getBooleanValue(), "flagged: " + truncated);
        assertEquals(context, truncated.get("tokens").getIntValue(), "exactly the context was read");
        assertEquals(null, json(byDefault.get(1).resultJson()).get("truncated"), "a text that fits is not flagged");
        List<JobItem> refused = run(EmbedJob.NAME, Map.of("truncate", "none"), List.of(overContext, withinContext));
        assertEquals("text_too_long", refused.get(0).errorCode(), refused.get(0).errorMessage());
        assertTrue(refused.get(0).errorMessage().contains(context + " tokens"), refused.get(0).errorMessage());
        assertEquals(null, refused.get(1).errorCode(), "the text that fits is embedded");
        float[] before = DemoBundle.floats(json(byDefault.get(1).resultJson()).get("embedding"));
        float[] after = DemoBundle.floats(json(refused.get(1).resultJson()).get("embedding"));
        assertEquals(1.0, Vectors.dot(before, after), 1e-4, "the same text, the same (unit) embedding");
    }

    @Test
    void imageUrlsToInternalAddressesFailTheirItemOnly() throws Exception {
        List<JobItem> items = run(EmbedJob.NAME, Map.of(), List.of(
                "{\"image_url\":\"http://127.0.0.1:9/cat.png\"}",
                "{\"image_url\":\"http://169.254.169.254/latest/meta-data/\"}",
                "{\"image_url\":\"file:///etc/passwd\"}",
                DemoBundle.imageItem("fmnist_test00000_label9_ankle-boot.png")));
        assertEquals("image_url_forbidden", items.get(0).errorCode(), "loopback");
        assertEquals("image_url_forbidden", items.get(1).errorCode(), "cloud metadata");
        assertEquals("invalid_image_url", items.get(2).errorCode());
        assertEquals(null, items.get(3).errorCode(), "the good item is unaffected");
    }

    @Test
    void zeroShotClassificationReachesTheReportedAccuracy() throws Exception {
        List<FashionMnist.Example> test = FashionMnist.testSplit();
        List<String> inputs = new ArrayList<>(test.size());
        test.forEach(e -> inputs.add("{\"image\":\"" + e.pngBase64() + "\"}"));
        List<JobItem> items = run(ClassifyJob.NAME, Map.of("labels", FashionMnist.CLASSES), inputs);
        double[][] scores = new double[items.size()][FashionMnist.CLASSES.size()];
        int[] labels = new int[items.size()];
        for (JobItem item : items) {
            for (JsonNode ranked : json(item.resultJson()).get("labels").values()) {
                int c = FashionMnist.CLASSES.indexOf(ranked.get("label").getStringValue());
                scores[item.seq()][c] = ranked.get("score").getDoubleValue();
            }
            labels[item.seq()] = test.get(item.seq()).label();
        }
        ClassificationReport report = Classification.evaluate(scores, labels, 1);
        System.out.printf("zero-shot accuracy through classify jobs: %.4f%n", report.accuracy());
        ZeroShotAgreementTest.assertAgreesWith(TrainingReport.of(DemoBundle.DIR), report);
    }

    @Test
    void similarityRanksTheMatchingCaptionFirst() throws Exception {
        List<String> texts = List.of("a photo of a ankle boot.", "a photo of a trouser.", "a photo of a bag.");
        List<JobItem> items = run(SimilarityJob.NAME, Map.of("texts", texts),
                List.of(DemoBundle.imageItem("fmnist_test00000_label9_ankle-boot.png"),
                        DemoBundle.imageItem("fmnist_test00002_label1_trouser.png"),
                        DemoBundle.imageItem("fmnist_test00018_label8_bag.png")));
        for (int i = 0; i < 3; i++) {
            float[] scores = DemoBundle.floats(json(items.get(i).resultJson()).get("scores"));
            assertEquals(3, scores.length);
            int best = 0;
            for (int t = 1; t < scores.length; t++) {
                best = scores[t] > scores[best] ? t : best;
            }
            assertEquals(i, best, "image " + i + " scores " + java.util.Arrays.toString(scores));
        }
    }

    private static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        return Math.sqrt(sum);
    }
}
