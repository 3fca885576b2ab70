package io.montage.models;

import io.micronaut.json.JsonMapper;
import io.montage.errors.MontageException;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks a bundle before anything loads it: the manifest is complete and coherent, every file it lists exists
 * inside the bundle and matches its sha256. Everything wrong is reported at once, so an operator fixes a bundle in
 * one round.
 */
@Singleton
public class BundleVerifier {

    private static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,99}$");
    private static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");
    /** A fused classifier's label count: every answer may carry them all (top_k up to this). */
    static final int MAX_LABELS = 1000;

    private final JsonMapper json;

    public BundleVerifier(JsonMapper json) {
        this.json = json;
    }

    public ModelManifest verify(Path bundle) {
        ModelManifest manifest = read(bundle);
        List<String> problems = new ArrayList<>();
        checkManifest(manifest, problems);
        if (problems.isEmpty()) {
            checkFiles(bundle, manifest, problems);
        }
        if (!problems.isEmpty()) {
            throw MontageException.invalid("invalid_model_bundle", String.join("; ", problems));
        }
        return manifest;
    }

    private ModelManifest read(Path bundle) {
        try (InputStream in = Files.newInputStream(bundle.resolve(ModelManifest.FILE_NAME))) {
            return json.readValue(in, ModelManifest.class);
        } catch (IOException | RuntimeException e) {
            throw MontageException.invalid("invalid_model_manifest",
                    ModelManifest.FILE_NAME + " is not a valid manifest: " + e.getMessage());
        }
    }

    private static void checkManifest(ModelManifest m, List<String> problems) {
        require(ModelManifest.FORMAT.equals(m.format()), "format must be " + ModelManifest.FORMAT, problems);
        require(m.name() != null && NAME.matcher(m.name()).matches(),
                "name must be 1-100 characters of a-z, 0-9, '.', '_', '-'", problems);
        require(!ModelRegistry.DEFAULT_ALIAS.equals(m.name()), "name must not be '" + ModelRegistry.DEFAULT_ALIAS
                + "': requests say it to mean the tenant's default model", problems);
        require(m.version() != null && !m.version().isBlank() && m.version().length() <= 50,
                "version must be 1-50 characters", problems);
        require(Set.of(ModelManifest.CLIP, ModelManifest.FUSED).contains(m.kind()), "kind must be clip or fused",
                problems);
        if (ModelManifest.CLIP.equals(m.kind())) {
            require(m.embeddingDim() > 0, "embedding_dim must be positive", problems);
            require(m.logitScale() > 0, "logit_scale must be positive", problems);
        }
        require(Set.of("fp32", "fp16", "bf16", "int8").contains(m.precision()),
                "precision must be fp32, fp16, bf16 or int8", problems);
        if (m.variant() != null) {
            checkVariant(m, m.variant(), problems);
        }
        require(m.files() != null && !m.files().isEmpty(), "files must list the bundle's files with their sha256", problems);
        require(Set.of(ModelManifest.PYTORCH, ModelManifest.ONNXRUNTIME).contains(m.engine()),
                "engine must be pytorch or onnxruntime", problems);
        boolean onnx = m.onOnnxRuntime();
        if (m.image() == null || m.text() == null || (onnx ? m.onnx() == null : m.torchscript() == null)) {
            problems.add("image, text and " + (onnx ? "onnx" : "torchscript") + " sections are all required");
            return;
        }
        ModelManifest.Image image = m.image();
        require(Set.of("shortest_edge", "exact").contains(image.resize()), "image.resize must be shortest_edge or exact", problems);
        require(Set.of("bicubic", "bilinear", "nearest").contains(image.interpolation()),
                "image.interpolation must be bicubic, bilinear or nearest", problems);
        require(Set.of("center", "none").contains(image.crop()), "image.crop must be center or none", problems);
        require(Set.of("round", "floor").contains(image.cropRounding()), "image.crop_rounding must be round or floor", problems);
        require(image.cropSize() > 0 && image.resizeSize() >= image.cropSize(),
                "image sizes must satisfy 0 < crop_size <= resize_size", problems);
        require(!"none".equals(image.crop()) || image.resizeSize() == image.cropSize(),
                "without a crop, resize_size must equal crop_size", problems);
        require(Set.of("RGB", "L").contains(image.colorMode()), "image.color_mode must be RGB or L", problems);
        int channels = image.channels();
        require(image.mean() != null && image.mean().size() == channels, "image.mean needs one value per channel", problems);
        require(image.std() != null && image.std().size() == channels && image.std().stream().allMatch(s -> s > 0),
                "image.std needs one positive value per channel", problems);
        require(m.text().contextLength() > 0, "text.context_length must be positive", problems);
        require(listed(m, m.text().tokenizer()), "text.tokenizer must be one of files", problems);
        if (onnx) {
            checkOnnx(m, problems);
        } else {
            checkTorchScript(m, problems);
        }
        if (m.fused()) {
            checkOutput(m.output(), problems);
        }
    }

    private static void checkTorchScript(ModelManifest m, List<String> problems) {
        require(listed(m, m.torchscript().file()), "torchscript.file must be one of files", problems);
        if (m.fused()) {
            require(notBlank(m.torchscript().predictMethod()), "torchscript.predict_method is required", problems);
        } else {
            require(notBlank(m.torchscript().imageMethod()) && notBlank(m.torchscript().textMethod()),
                    "torchscript.image_method and text_method are required", problems);
        }
    }

    /** One graph per entry point of the kind, each a listed (so checksummed) file; no graph the kind does not use. */
    private static void checkOnnx(ModelManifest m, List<String> problems) {
        ModelManifest.Onnx graphs = m.onnx();
        if (m.fused()) {
            require(listed(m, graphs.predict()), "onnx.predict must be one of files", problems);
            require(graphs.image() == null && graphs.text() == null,
                    "a fused model has one graph, onnx.predict (no onnx.image or onnx.text)", problems);
        } else {
            require(listed(m, graphs.image()) && listed(m, graphs.text()),
                    "onnx.image and onnx.text must both be among files", problems);
            require(graphs.predict() == null, "a clip model has no onnx.predict graph", problems);
        }
    }

    private static boolean listed(ModelManifest m, String file) {
        return file != null && m.files() != null && m.files().containsKey(file);
    }

    /** A fused model's output: labels to rank (distinct, short: they go into every answer) or one named score. */
    private static void checkOutput(ModelManifest.Output output, List<String> problems) {
        if (output == null || output.type() == null) {
            problems.add("output is required for kind fused: {\"type\": \"labels\", \"labels\": [...]} or "
                    + "{\"type\": \"score\", \"name\": ...}");
            return;
        }
        switch (output.type()) {
            case ModelManifest.Output.LABELS -> {
                List<String> labels = output.labels();
                require(labels != null && !labels.isEmpty() && labels.size() <= MAX_LABELS,
                        "output.labels needs 1-" + MAX_LABELS + " labels", problems);
                require(labels == null || labels.stream().allMatch(l -> l != null && !l.isBlank() && l.length() <= 100),
                        "every output label must be 1-100 characters", problems);
                require(labels == null || Set.copyOf(labels.stream().filter(l -> l != null).toList()).size()
                        == labels.size(), "output.labels must be distinct", problems);
            }
            case ModelManifest.Output.SCORE -> require(output.name() != null && NAME.matcher(output.name()).matches(),
                    "output.name must be 1-100 characters of a-z, 0-9, '.', '_', '-'", problems);
            default -> problems.add("output.type must be labels or score");
        }
    }

    /**
     * A variant names the fp32 bundle it copies (same name, another version) and carries the fidelity its kind is
     * measured by: what the registry shows next to its speed is a measurement, never an empty claim.
     */
    private static void checkVariant(ModelManifest m, ModelVariant v, List<String> problems) {
        ModelVariant.Of of = v.of();
        require(of != null && Objects.equals(of.name(), m.name()) && of.version() != null
                        && !of.version().equals(m.version()) && of.modelSha256() != null
                        && SHA256.matcher(of.modelSha256()).matches(),
                "variant.of must name the fp32 bundle it derives from: the same name, another version, the "
                        + "lowercase hex sha256 of its model file", problems);
        require(Set.of("int8", "bf16").contains(v.method()) && Objects.equals(v.method(), m.precision()),
                "variant.method must be int8 or bf16 and equal precision", problems);
        ModelVariant.Fidelity f = v.fidelity();
        if (f == null) {
            problems.add("variant.fidelity is required: the variant's measured agreement with its fp32 bundle");
        } else if (m.fused()) {
            require(f.maxAbsProbDiff() != null && f.heldoutAccuracy() != null,
                    "variant.fidelity needs max_abs_prob_diff and heldout_accuracy for kind fused", problems);
        } else {
            require(Stream.of(f.imageCosineMin(), f.imageCosineMean(), f.textCosineMin(), f.textCosineMean())
                            .allMatch(c -> c != null && c >= -1 && c <= 1),
                    "variant.fidelity needs image_cosine_min/mean and text_cosine_min/mean in [-1, 1] for kind clip",
                    problems);
        }
    }

    private static void checkFiles(Path bundle, ModelManifest m, List<String> problems) {
        for (Map.Entry<String, String> file : m.files().entrySet()) {
            Path path = bundle.resolve(file.getKey()).normalize();
            if (!path.startsWith(bundle) || !Files.isRegularFile(path)) {
                problems.add("file " + file.getKey() + " is missing from the bundle");
            } else if (file.getValue() == null || !SHA256.matcher(file.getValue()).matches()) {
                problems.add("files." + file.getKey() + " must be a lowercase hex sha256");
            } else if (!sha256(path).equals(file.getValue())) {
                problems.add("file " + file.getKey() + " does not match its sha256 (corrupt or replaced)");
            }
        }
    }

    static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw MontageException.invalid("bundle_unreadable", "cannot read " + file.getFileName() + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static void require(boolean condition, String problem, List<String> problems) {
        if (!condition) {
            problems.add(problem);
        }
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
