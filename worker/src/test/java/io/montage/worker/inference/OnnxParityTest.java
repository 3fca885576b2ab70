package io.montage.worker.inference;

import io.micronaut.json.tree.JsonNode;
import io.montage.models.ModelManifest;
import io.montage.testing.SharedContext;
import io.montage.testing.Vectors;
import io.montage.worker.fairshare.Flow;
import io.montage.worker.images.ImageDecoder;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parity across engines (ADR 0022): the ONNX graphs deploy/models/export_onnx.py wrote, run by DJL's OnnxRuntime
 * engine, answer what the TorchScript of the same weights answers on libtorch, input for input: both CLIP towers at
 * cosine ≥ 0.9999 on the demo bundle's reference images and texts, the fused model's probabilities within 1e-5 on
 * its whole held-out split. Every input goes through the worker's own path (decoder, preprocessor, tokenizer,
 * dynamic batcher, padded buckets), so the batches are the ones serving runs.
 */
class OnnxParityTest {

    private static final double COSINE = 0.9999;
    private static final Flow FLOW = new Flow(null, true, 1024, "onnx-parity");

    @Test
    void bothClipTowersOnOnnxRuntimeAgreeWithTorchScript() throws Exception {
        JsonNode references = DemoBundle.references();
        ImageDecoder decoder = SharedContext.bean(ImageDecoder.class);
        try (LoadedModel torch = load(DemoBundle.DIR); LoadedModel onnx = load(DemoBundle.ONNX_DIR)) {
            assertEquals(ModelManifest.ONNXRUNTIME, onnx.model().manifest().engine());
            assertEquals(Files.size(DemoBundle.DIR.resolve("model.pt")), torch.weightBytes(), "the TorchScript file");
            assertEquals(Files.size(DemoBundle.ONNX_DIR.resolve("image.onnx"))
                    + Files.size(DemoBundle.ONNX_DIR.resolve("text.onnx")), onnx.weightBytes(), "both graphs");
            List<CompletableFuture<float[]>[]> pairs = new ArrayList<>();
            List<String> what = new ArrayList<>();
            for (JsonNode reference : references.get("images").values()) {
                String file = reference.get("file").getStringValue();
                float[] pixels = torch.preprocessor().preprocess(decoder.decode(
                        Files.readAllBytes(DemoBundle.DIR.resolve("reference").resolve(file))));
                pairs.add(pair(torch.embedImage(FLOW, pixels), onnx.embedImage(FLOW, pixels)));
                what.add(file);
            }
            int images = pairs.size();
            for (JsonNode reference : references.get("texts").values()) {
                String text = reference.get("text").getStringValue();
                pairs.add(pair(torch.embedTokens(FLOW, torch.tokenize(text)), onnx.embedTokens(FLOW, onnx.tokenize(text))));
                what.add("'" + text + "'");
            }
            assertTrue(images >= 10 && pairs.size() - images >= 9, "the whole reference set: " + what);
            for (int i = 0; i < pairs.size(); i++) {
                double cosine = Vectors.cosine(pairs.get(i)[0].get(), pairs.get(i)[1].get());
                assertTrue(cosine >= COSINE, what.get(i) + ": cosine " + cosine);
            }
        }
    }

    @Test
    void theFusedModelOnOnnxRuntimeAnswersTorchScriptsProbabilities() throws Exception {
        JsonNode heldOut = DemoBundle.fusedHeldOut();
        Path stamps = Path.of(heldOut.get("stamps_root").getStringValue());
        ImageDecoder decoder = SharedContext.bean(ImageDecoder.class);
        try (LoadedModel torch = load(DemoBundle.FUSED_DIR); LoadedModel onnx = load(DemoBundle.FUSED_ONNX_DIR)) {
            assertEquals(Files.size(DemoBundle.FUSED_ONNX_DIR.resolve("predict.onnx")), onnx.weightBytes(), "its graph");
            List<CompletableFuture<float[]>[]> pairs = new ArrayList<>();
            for (JsonNode item : heldOut.get("items").values()) {
                float[] pixels = torch.preprocessor().preprocess(decoder.decode(
                        Files.readAllBytes(stamps.resolve(item.get("image").getStringValue()))));
                String text = item.get("text").getStringValue();
                pairs.add(pair(torch.predict(FLOW, pixels, torch.tokenize(text)),
                        onnx.predict(FLOW, pixels, onnx.tokenize(text))));
            }
            assertEquals(heldOut.get("items").size(), pairs.size());
            double worst = 0;
            for (CompletableFuture<float[]>[] pair : pairs) {
                float[] expected = pair[0].get();
                float[] actual = pair[1].get();
                assertEquals(expected.length, actual.length);
                for (int c = 0; c < expected.length; c++) {
                    worst = Math.max(worst, Math.abs(expected[c] - actual[c]));
                }
            }
            assertTrue(worst <= 1e-5, "largest probability difference " + worst);
        }
    }

    private static LoadedModel load(Path dir) throws Exception {
        return SharedContext.bean(ModelServer.class).load(DemoBundle.model(dir));
    }

    @SuppressWarnings("unchecked")
    private static CompletableFuture<float[]>[] pair(CompletableFuture<float[]> torch, CompletableFuture<float[]> onnx) {
        return new CompletableFuture[]{torch, onnx};
    }
}
