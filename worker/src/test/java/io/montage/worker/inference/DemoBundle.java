package io.montage.worker.inference;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.montage.models.BundleVerifier;
import io.montage.models.Model;
import io.montage.models.ModelManifest;
import io.montage.models.ModelRegistry;
import io.montage.models.ModelStatus;
import io.montage.testing.SharedContext;
import io.montage.worker.tasks.ServedModels;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The committed demo bundle (deploy/models/fashion-clip-mini) and the reference outputs Python wrote for it; also its
 * worse sibling, the same model retrained on 600 images (deploy/models/fashion-clip-mini-small), and the fused demo
 * (deploy/models/tuxpaint-fused-mini) with its held-out split; both exported to ONNX ({@code *-onnx}); and the int8
 * and bf16 variants of both.
 */
final class DemoBundle {

    static final Path DIR = Path.of("..", "deploy", "models", "fashion-clip-mini").toAbsolutePath().normalize();
    static final Path SMALL_DIR = DIR.resolveSibling("fashion-clip-mini-small");
    static final Path FUSED_DIR = DIR.resolveSibling("tuxpaint-fused-mini");
    /** The same weights as ONNX graphs (deploy/models/export_onnx.py), served by the OnnxRuntime engine. */
    static final Path ONNX_DIR = DIR.resolveSibling("fashion-clip-mini-onnx");
    static final Path FUSED_ONNX_DIR = DIR.resolveSibling("tuxpaint-fused-mini-onnx");

    private DemoBundle() {
    }

    /** The {@code int8} or {@code bf16} variant deploy/models/make_variants.py made of the bundle in {@code dir}. */
    static Path variant(Path dir, String method) {
        return dir.resolveSibling(dir.getFileName() + "-" + method);
    }

    /**
     * The bundle registered (once per test JVM: registering again finds it) and served by the test context's
     * worker: validated by it (real DJL), loaded and advertised, as production serves a model.
     */
    static Model served() throws InterruptedException {
        return served(DIR);
    }

    /** The bundle in {@code dir}, registered and served like {@link #served()}. */
    static Model served(Path dir) throws InterruptedException {
        ModelRegistry registry = SharedContext.bean(ModelRegistry.class);
        Model model = registry.register(dir.toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline && !SharedContext.bean(ServedModels.class).ids().contains(model.id())) {
            Thread.sleep(100);
        }
        return registry.find(model.id()).orElseThrow();
    }

    /** An item {@code {"image": base64}} of one of the bundle's reference images. */
    static String imageItem(String file) throws IOException {
        byte[] bytes = Files.readAllBytes(DIR.resolve("reference/images").resolve(file));
        return "{\"image\":\"" + java.util.Base64.getEncoder().encodeToString(bytes) + "\"}";
    }

    /** The bundle as a registry entry, without registering it. */
    static Model model() {
        return model(DIR);
    }

    /** The bundle in {@code dir} as a registry entry, without registering it. */
    static Model model(Path dir) {
        ModelManifest manifest = SharedContext.bean(BundleVerifier.class).verify(dir);
        return new Model(UUID.randomUUID(), manifest.name(), manifest.version(), manifest, ModelStatus.READY, null,
                dir.toString(), dir, Instant.now(), Instant.now());
    }

    static JsonNode references() throws IOException {
        return json(DIR.resolve("reference/embeddings.json"));
    }

    /** The fused demo's held-out split as its trainer answered it (deploy/models/train_fused.py). */
    static JsonNode fusedHeldOut() throws IOException {
        return json(FUSED_DIR.resolve("reference/heldout.json"));
    }

    private static JsonNode json(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return SharedContext.bean(JsonMapper.class).readValue(in, JsonNode.class);
        }
    }

    static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).getFloatValue();
        }
        return out;
    }

    static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).getLongValue();
        }
        return out;
    }

    /** The index of a row's largest value (the first of equal ones): a classifier's answer. */
    static int argmax(float[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best]) {
                best = i;
            }
        }
        return best;
    }

}
