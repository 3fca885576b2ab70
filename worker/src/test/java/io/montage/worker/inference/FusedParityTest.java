package io.montage.worker.inference;

import io.micronaut.json.tree.JsonNode;
import io.montage.jobs.JobItem;
import io.montage.jobs.contracts.ClassifyJob;
import io.montage.jobs.contracts.PredictJob;
import io.montage.json.JsonCodec;
import io.montage.models.Model;
import io.montage.models.ModelStatus;
import io.montage.testing.SharedContext;
import io.montage.worker.fairshare.Flow;
import io.montage.worker.images.ImageDecoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fused demo through DJL answers its whole held-out split as its trainer did: the same token ids, every
 * probability within 1e-5 of Python's, so the same predictions and the same accuracy, to the stamp. The images are
 * the real Tux Paint photos (deploy/local/setup-testdata.sh), decoded and preprocessed by the worker's own path;
 * all inputs go through the dynamic batcher at once, so they are batched as in serving. Both bundles of the same
 * weights: the TorchScript on libtorch and its ONNX export on OnnxRuntime, served side by side by one worker.
 */
class FusedParityTest {

    private static final Flow FLOW = new Flow(null, true, 1024, "fused-parity");

    static List<Path> bundles() {
        return List.of(DemoBundle.FUSED_DIR, DemoBundle.FUSED_ONNX_DIR);
    }

    @ParameterizedTest
    @MethodSource("bundles")
    void theHeldOutSplitIsAnsweredAsInPython(Path bundle) throws Exception {
        try (LoadedModel model = SharedContext.bean(ModelServer.class).load(DemoBundle.model(bundle))) {
            answersTheHeldOutSplit(model);
        }
    }

    private static void answersTheHeldOutSplit(LoadedModel model) throws Exception {
        JsonNode heldOut = DemoBundle.fusedHeldOut();
        Path stamps = Path.of(heldOut.get("stamps_root").getStringValue());
        List<String> labels = new ArrayList<>();
        heldOut.get("labels").values().forEach(l -> labels.add(l.getStringValue()));
        assertEquals(labels, model.model().manifest().output().labels(), "the manifest's labels are the trainer's");
        ImageDecoder decoder = SharedContext.bean(ImageDecoder.class);

        List<JsonNode> items = new ArrayList<>();
        List<CompletableFuture<float[]>> answers = new ArrayList<>();
        for (JsonNode item : heldOut.get("items").values()) {
            String text = item.get("text").getStringValue();
            TextTokenizer.Tokens tokens = model.tokenize(text);
            assertArrayEquals(DemoBundle.longs(item.get("input_ids")), tokens.ids(), "ids of '" + text + "'");
            assertArrayEquals(DemoBundle.longs(item.get("attention_mask")), tokens.mask(), "mask of '" + text + "'");
            float[] pixels = model.preprocessor().preprocess(decoder.decode(
                    Files.readAllBytes(stamps.resolve(item.get("image").getStringValue()))));
            items.add(item);
            answers.add(model.predict(FLOW, pixels, tokens));
        }

        int correct = 0;
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            float[] expected = DemoBundle.floats(item.get("probabilities"));
            float[] actual = answers.get(i).get();
            assertEquals(expected.length, actual.length);
            for (int c = 0; c < expected.length; c++) {
                assertEquals(expected[c], actual[c], 1e-5, item.get("image").getStringValue() + ": p(" + labels.get(c) + ")");
            }
            String predicted = labels.get(DemoBundle.argmax(actual));
            assertEquals(item.get("predicted").getStringValue(), predicted, item.get("image").getStringValue());
            correct += predicted.equals(item.get("label").getStringValue()) ? 1 : 0;
        }
        assertEquals(heldOut.get("correct").getIntValue(), correct, "held-out stamps classified right, as in Python");
        assertEquals(heldOut.get("accuracy").getDoubleValue(), (double) correct / items.size(), 1e-12);
    }

    /**
     * The platform's way, as /v1/predict queues it: validated and served by the worker, the held-out split as one
     * predict job through the real queue (the images' bytes beside the JSON), top_k 3. Its top labels are the
     * trainer's predictions, so the accuracy is the trainer's exactly.
     */
    @ParameterizedTest
    @MethodSource("bundles")
    void aPredictJobThroughTheQueueReproducesTheTrainersHeldOutAccuracy(Path bundle) throws Exception {
        Model served = DemoBundle.served(bundle);
        assertEquals(ModelStatus.READY, served.status(), String.valueOf(served.failureReason()));
        JsonNode heldOut = DemoBundle.fusedHeldOut();
        Path stamps = Path.of(heldOut.get("stamps_root").getStringValue());
        JsonCodec json = SharedContext.bean(JsonCodec.class);
        List<JsonNode> expected = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        for (JsonNode item : heldOut.get("items").values()) {
            expected.add(item);
            inputs.add(json.write(Map.of("image", Base64.getEncoder().encodeToString(
                    Files.readAllBytes(stamps.resolve(item.get("image").getStringValue()))),
                    "text", item.get("text").getStringValue())));
        }
        List<JobItem> items = QueuedJobs.run(SharedContext.newTenant(), served, PredictJob.NAME,
                Map.of("top_k", 3), inputs);

        int correct = 0;
        for (int i = 0; i < items.size(); i++) {
            PredictJob.Result result = json.read(items.get(i).resultJson(), PredictJob.Result.class);
            assertEquals(3, result.labels().size(), "top_k 3");
            ClassifyJob.Ranked top = result.labels().getFirst();
            assertEquals(expected.get(i).get("predicted").getStringValue(), top.label(), "input " + i);
            correct += top.label().equals(expected.get(i).get("label").getStringValue()) ? 1 : 0;
        }
        assertEquals(heldOut.get("correct").getIntValue(), correct);
        assertEquals(heldOut.get("accuracy").getDoubleValue(), (double) correct / items.size(), 1e-12,
                "the trainer's held-out accuracy, exactly");
    }
}
