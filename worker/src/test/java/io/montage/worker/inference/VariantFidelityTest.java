package io.montage.worker.inference;

import io.micronaut.json.tree.JsonNode;
import io.montage.models.ModelManifest;
import io.montage.models.ModelVariant;
import io.montage.testing.SharedContext;
import io.montage.testing.Vectors;
import io.montage.worker.fairshare.Flow;
import io.montage.worker.images.ImageDecoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The int8 and bf16 variants deploy/models/make_variants.py made of the two demo bundles run on DJL's libtorch
 * (int8: {@code quantized::linear_dynamic}, its weights repacked at load for libtorch's own x86 kernels, not the
 * qnnpack ones Python measured with) and keep the fidelity their manifests record. Recomputed here with real
 * inference of both the variant and its fp32 bundle on that bundle's reference set, through the worker's own
 * decoding, preprocessing, tokenizing and batchers.
 */
class VariantFidelityTest {

    /** What may separate libtorch 2.7.1's kernels from Debian torch 1.13's on the same weights (bf16 included). */
    private static final double COSINE_EPSILON = 2e-4;
    private static final double PROBABILITY_EPSILON = 5e-3;
    private static final Flow FLOW = new Flow(null, true, 1024, "variants");

    private static LoadedModel clip;
    private static LoadedModel fused;

    @BeforeAll
    static void load() throws Exception {
        clip = SharedContext.bean(ModelServer.class).load(DemoBundle.model());
        fused = SharedContext.bean(ModelServer.class).load(DemoBundle.model(DemoBundle.FUSED_DIR));
    }

    @AfterAll
    static void unload() {
        clip.close();
        fused.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"int8", "bf16"})
    void aClipVariantsEmbeddingsAgreeWithFp32AsItsManifestRecords(String method) throws Exception {
        try (LoadedModel variant = load(DemoBundle.variant(DemoBundle.DIR, method), clip, method)) {
            ModelVariant.Fidelity recorded = variant.model().manifest().variant().fidelity();
            JsonNode references = DemoBundle.references();
            ImageDecoder decoder = SharedContext.bean(ImageDecoder.class);
            List<CompletableFuture<float[]>> expected = new ArrayList<>();
            List<CompletableFuture<float[]>> actual = new ArrayList<>();
            for (JsonNode reference : references.get("images").values()) {
                byte[] bytes = Files.readAllBytes(DemoBundle.DIR.resolve("reference")
                        .resolve(reference.get("file").getStringValue()));
                float[] pixels = variant.preprocessor().preprocess(decoder.decode(bytes));
                expected.add(clip.embedImage(FLOW, pixels));
                actual.add(variant.embedImage(FLOW, pixels));
            }
            Cosines images = Cosines.of(expected, actual);

            expected.clear();
            actual.clear();
            for (JsonNode reference : references.get("texts").values()) {
                TextTokenizer.Tokens tokens = variant.tokenize(reference.get("text").getStringValue());
                expected.add(clip.embedTokens(FLOW, tokens));
                actual.add(variant.embedTokens(FLOW, tokens));
            }
            Cosines texts = Cosines.of(expected, actual);

            assertTrue(images.min >= recorded.imageCosineMin() - COSINE_EPSILON,
                    method + " image cosine min " + images.min + " vs recorded " + recorded.imageCosineMin());
            assertTrue(images.mean >= recorded.imageCosineMean() - COSINE_EPSILON,
                    method + " image cosine mean " + images.mean + " vs recorded " + recorded.imageCosineMean());
            assertTrue(texts.min >= recorded.textCosineMin() - COSINE_EPSILON,
                    method + " text cosine min " + texts.min + " vs recorded " + recorded.textCosineMin());
            assertTrue(texts.mean >= recorded.textCosineMean() - COSINE_EPSILON,
                    method + " text cosine mean " + texts.mean + " vs recorded " + recorded.textCosineMean());
            assertTrue(images.min < 1 - 1e-7 || texts.min < 1 - 1e-7,
                    method + ": some embedding differs from fp32, so the variant's own weights answered");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"int8", "bf16"})
    void aFusedVariantsProbabilitiesAndAccuracyAreWhatItsManifestRecords(String method) throws Exception {
        try (LoadedModel variant = load(DemoBundle.variant(DemoBundle.FUSED_DIR, method), fused, method)) {
            ModelVariant.Fidelity recorded = variant.model().manifest().variant().fidelity();
            JsonNode heldOut = DemoBundle.fusedHeldOut();
            Path stamps = Path.of(heldOut.get("stamps_root").getStringValue());
            List<String> labels = variant.model().manifest().output().labels();
            ImageDecoder decoder = SharedContext.bean(ImageDecoder.class);
            List<String> truth = new ArrayList<>();
            List<CompletableFuture<float[]>> expected = new ArrayList<>();
            List<CompletableFuture<float[]>> actual = new ArrayList<>();
            for (JsonNode item : heldOut.get("items").values()) {
                TextTokenizer.Tokens tokens = variant.tokenize(item.get("text").getStringValue());
                float[] pixels = variant.preprocessor().preprocess(decoder.decode(
                        Files.readAllBytes(stamps.resolve(item.get("image").getStringValue()))));
                truth.add(item.get("label").getStringValue());
                expected.add(fused.predict(FLOW, pixels, tokens));
                actual.add(variant.predict(FLOW, pixels, tokens));
            }
            double maxDiff = 0;
            int correct = 0;
            for (int i = 0; i < truth.size(); i++) {
                float[] p = expected.get(i).get();
                float[] q = actual.get(i).get();
                for (int c = 0; c < p.length; c++) {
                    maxDiff = Math.max(maxDiff, Math.abs(p[c] - q[c]));
                }
                correct += labels.get(DemoBundle.argmax(q)).equals(truth.get(i)) ? 1 : 0;
            }
            assertTrue(maxDiff <= recorded.maxAbsProbDiff() + PROBABILITY_EPSILON,
                    method + " max |Δp| " + maxDiff + " vs recorded " + recorded.maxAbsProbDiff());
            assertTrue(maxDiff > 0, method + ": the variant's own weights answered");
            assertEquals(recorded.heldoutCorrect(), correct, method + ": held-out stamps classified right");
            assertEquals(recorded.heldoutAccuracy(), (double) correct / truth.size(), 1e-12);
        }
    }

    /** The variant, loaded by the worker's model server, after checking its manifest derives from {@code fp32}. */
    private static LoadedModel load(Path dir, LoadedModel fp32, String method) throws Exception {
        ModelManifest manifest = DemoBundle.model(dir).manifest();
        ModelVariant variant = manifest.variant();
        assertNotNull(variant, dir + " is a variant");
        assertEquals(method, manifest.precision());
        assertEquals(fp32.model().manifest().version(), variant.of().version());
        assertEquals(fp32.model().manifest().files().get("model.pt"), variant.of().modelSha256(),
                "the variant derives from this fp32 model file");
        return SharedContext.bean(ModelServer.class).load(DemoBundle.model(dir));
    }

    private record Cosines(double min, double mean) {

        static Cosines of(List<CompletableFuture<float[]>> expected, List<CompletableFuture<float[]>> actual)
                throws Exception {
            double min = 1;
            double sum = 0;
            for (int i = 0; i < expected.size(); i++) {
                double cosine = Vectors.cosine(expected.get(i).get(), actual.get(i).get());
                min = Math.min(min, cosine);
                sum += cosine;
            }
            return new Cosines(min, sum / expected.size());
        }
    }
}
