package io.montage.worker.inference;

import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.models.ModelStatus;
import io.montage.testing.SharedContext;
import io.montage.worker.tasks.ServedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bundles whose files are intact (checksums match) but whose model is wrong get through registration and are
 * stopped by the worker's smoke test: failed with the reason, never served.
 */
class BadBundlesTest {

    @TempDir
    Path temp;

    @Test
    void aCorruptTorchScriptFailsValidation() throws Exception {
        Path bundle = variant(manifest -> manifest);
        byte[] garbage = new byte[4096];
        new Random(7).nextBytes(garbage);
        Files.write(bundle.resolve("model.pt"), garbage);
        Model model = registerAndAwaitVerdict(resign(bundle));
        assertEquals(ModelStatus.FAILED, model.status());
        assertFalse(SharedContext.bean(ServedModels.class).ids().contains(model.id()));
    }

    @Test
    void anOutputDimensionOtherThanTheManifestsFailsValidation() throws Exception {
        Model model = registerAndAwaitVerdict(variant(m -> m.replace("\"embedding_dim\": 128", "\"embedding_dim\": 64")));
        assertEquals(ModelStatus.FAILED, model.status());
        assertTrue(model.failureReason().contains("the manifest promises"), model.failureReason());
    }

    @Test
    void aMissingMethodFailsValidation() throws Exception {
        Model model = registerAndAwaitVerdict(variant(m -> m.replace("\"encode_text\"", "\"encode_words\"")));
        assertEquals(ModelStatus.FAILED, model.status());
        assertTrue(model.failureReason().contains("encode_words"), model.failureReason());
    }

    @Test
    void aFusedModelWithMoreOutputsThanTheManifestsLabelsFailsValidation() throws Exception {
        Model model = registerAndAwaitVerdict(variant(DemoBundle.FUSED_DIR, m -> m.replace("\"birds\",", "")));
        assertEquals(ModelStatus.FAILED, model.status());
        assertTrue(model.failureReason().contains("the manifest promises"), model.failureReason());
    }

    @Test
    void onnxGraphsSwappedBetweenTheTowersFailValidation() throws Exception {
        Model model = registerAndAwaitVerdict(variant(DemoBundle.ONNX_DIR, m -> m
                .replace("\"image\": \"image.onnx\"", "\"image\": \"swap\"")
                .replace("\"text\": \"text.onnx\"", "\"text\": \"image.onnx\"")
                .replace("\"image\": \"swap\"", "\"image\": \"text.onnx\"")));
        assertEquals(ModelStatus.FAILED, model.status());
        assertTrue(model.failureReason().contains("input"), model.failureReason());
    }

    @Test
    void anOnnxFusedModelWithMoreOutputsThanTheManifestsLabelsFailsValidation() throws Exception {
        Model model = registerAndAwaitVerdict(variant(DemoBundle.FUSED_ONNX_DIR, m -> m.replace("\"birds\",", "")));
        assertEquals(ModelStatus.FAILED, model.status());
        assertTrue(model.failureReason().contains("the manifest promises"), model.failureReason());
    }

    /** A copy of the demo bundle under a new version, its manifest edited. */
    private Path variant(UnaryOperator<String> edit) throws Exception {
        return variant(DemoBundle.DIR, edit);
    }

    /** A copy of the bundle in {@code source} under a new version, its manifest edited. */
    private Path variant(Path source, UnaryOperator<String> edit) throws Exception {
        Path copy = temp.resolve("bundle");
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        Path manifest = copy.resolve("montage-model.json");
        String text = Files.readString(manifest).replaceFirst("\"version\": \"[^\"]+\"",
                "\"version\": \"bad-" + UUID.randomUUID().toString().substring(0, 8) + "\"");
        Files.writeString(manifest, edit.apply(text));
        return copy;
    }

    /** Rewrites the manifest's sha256 of model.pt so only the model itself is wrong. */
    private static Path resign(Path bundle) throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(bundle.resolve("model.pt"))));
        Path manifest = bundle.resolve("montage-model.json");
        Files.writeString(manifest, Files.readString(manifest).replaceAll("\"model.pt\": \"[0-9a-f]{64}\"",
                "\"model.pt\": \"" + sha + "\""));
        return bundle;
    }

    private static Model registerAndAwaitVerdict(Path bundle) throws InterruptedException {
        ModelRegistry registry = SharedContext.bean(ModelRegistry.class);
        Model model = registry.register(bundle.toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (model.status() == ModelStatus.VALIDATING && System.nanoTime() < deadline) {
            Thread.sleep(100);
            model = registry.find(model.id()).orElseThrow();
        }
        return model;
    }
}
