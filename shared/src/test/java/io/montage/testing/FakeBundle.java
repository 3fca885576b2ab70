package io.montage.testing;

import io.montage.models.Model;
import io.montage.models.ModelManifest;
import io.montage.models.ModelRegistry;
import io.montage.models.ModelsConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a bundle whose manifest and checksums are right but whose TorchScript is arbitrary bytes: enough for
 * everything the registry checks before a worker loads the model.
 */
public final class FakeBundle {

    private FakeBundle() {
    }

    /**
     * Registers a fresh 8-dimensional fake model named {@code prefix-…} with {@code registry} and marks it ready, as
     * if a worker had validated it (no worker loads it: enough for everything the api decides before inference).
     */
    public static Model registerReady(ModelRegistry registry, String prefix) throws IOException {
        Model model = registry.register(write(Files.createTempDirectory("bundle"),
                prefix + "-" + UUID.randomUUID().toString().substring(0, 6), "1", "w").toString());
        registry.markReady(model.id());
        return registry.find(model.id()).orElseThrow();
    }

    /** As {@link #registerReady}, a fused classifier with the labels cat and dog. */
    public static Model registerReadyFused(ModelRegistry registry, String prefix) throws IOException {
        return registerReadyFused(registry, prefix, "cat", "dog");
    }

    /** As {@link #registerReady}, a fused classifier with {@code labels} (plain words: written as they are). */
    public static Model registerReadyFused(ModelRegistry registry, String prefix, String... labels)
            throws IOException {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
        Model model = registry.register(writeFused(Files.createTempDirectory("bundle"), name,
                "\"output\": {\"type\": \"labels\", \"labels\": [\"" + String.join("\", \"", labels) + "\"]},")
                .toString());
        registry.markReady(model.id());
        return registry.find(model.id()).orElseThrow();
    }

    /** As {@link #registerReady}, a clip model of engine onnxruntime (one fake graph for both towers). */
    public static Model registerReadyOnnx(ModelRegistry registry, String prefix) throws IOException {
        Path dir = Files.createTempDirectory("bundle");
        write(dir, prefix + "-" + UUID.randomUUID().toString().substring(0, 6), "1", "w");
        Files.move(dir.resolve("model.pt"), dir.resolve("graph.onnx")); // same bytes, same sha256
        Path manifest = dir.resolve(ModelManifest.FILE_NAME);
        Files.writeString(manifest, Files.readString(manifest)
                .replace("\"torchscript\": {\"file\": \"model.pt\", \"image_method\": \"encode_image\", "
                        + "\"text_method\": \"encode_text\"},", "\"engine\": \"onnxruntime\", "
                        + "\"onnx\": {\"image\": \"graph.onnx\", \"text\": \"graph.onnx\"},")
                .replace("\"model.pt\":", "\"graph.onnx\":"));
        Model model = registry.register(dir.toString());
        registry.markReady(model.id());
        return registry.find(model.id()).orElseThrow();
    }

    /**
     * A fake bundle of kind fused (no embedding_dim, a predict method) with {@code output}: a JSON member with its
     * trailing comma, or nothing (the manifest is not among the checksummed files, so editing it is allowed).
     */
    public static Path writeFused(Path dir, String name, String output) throws IOException {
        write(dir, name, "1", "w");
        Path manifest = dir.resolve(ModelManifest.FILE_NAME);
        Files.writeString(manifest, Files.readString(manifest)
                .replace("\"kind\": \"clip\", \"embedding_dim\": 8,", "\"kind\": \"fused\",")
                .replace("\"image_method\": \"encode_image\", \"text_method\": \"encode_text\"",
                        "\"predict_method\": \"predict\"")
                .replace("\"files\":", output + " \"files\":"));
        return dir;
    }

    public static Path write(Path dir, String name, String version, String modelBytes) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("model.pt"), modelBytes);
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\":{\"type\":\"WordLevel\"}}");
        Files.writeString(dir.resolve(ModelManifest.FILE_NAME), manifest(name, version, Map.of(
                "model.pt", sha256(dir.resolve("model.pt")),
                "tokenizer.json", sha256(dir.resolve("tokenizer.json")))), StandardCharsets.UTF_8);
        return dir;
    }

    /** Zips {@code dir} with its subdirectories into {@code zip}; each entry is named {@code prefix} + its path. */
    public static Path zip(Path dir, Path zip, String prefix) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip)); Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new ZipEntry(prefix + dir.relativize(file)));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return zip;
    }

    /** What registrations left in the store's staging area: nothing, when each cleans up after itself. */
    public static List<Path> leftInStaging(ModelsConfig config) throws IOException {
        Path staging = Path.of(config.store()).resolve(".staging");
        if (!Files.exists(staging)) {
            return List.of();
        }
        try (Stream<Path> left = Files.list(staging)) {
            return left.toList();
        }
    }

    private static String sha256(Path file) throws IOException {
        try {
            return java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String manifest(String name, String version, Map<String, String> files) {
        StringBuilder fileJson = new StringBuilder();
        files.forEach((file, sha) -> fileJson.append(fileJson.isEmpty() ? "" : ",")
                .append('"').append(file).append("\":\"").append(sha).append('"'));
        return """
                {"format": "montage-model/1", "name": "%s", "version": "%s", "kind": "clip", "embedding_dim": 8,
                 "normalize": true, "logit_scale": 100.0, "precision": "fp32", "license": "test",
                 "image": {"resize": "shortest_edge", "resize_size": 28, "interpolation": "bicubic", "crop": "center",
                           "crop_rounding": "round", "crop_size": 28, "color_mode": "L", "mean": [0.5], "std": [0.5]},
                 "text": {"tokenizer": "tokenizer.json", "context_length": 8, "pad_id": 0},
                 "torchscript": {"file": "model.pt", "image_method": "encode_image", "text_method": "encode_text"},
                 "zero_shot_templates": ["a photo of a {}."],
                 "files": {%s}}
                """.formatted(name, version, fileJson);
    }
}
