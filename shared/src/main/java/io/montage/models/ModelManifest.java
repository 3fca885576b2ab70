package io.montage.models;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.util.List;
import java.util.Map;

/**
 * {@code montage-model.json}: everything needed to serve a model from its files, with no code. The preprocessing is
 * spelled out (not "like CLIP") because that is where serving silently drifts from training. Two kinds: {@code clip}
 * (two towers into one embedding space) and {@code fused} (one method over an image and a text together, answering
 * the {@code output} it declares).
 *
 * @param format       always {@code montage-model/1}
 * @param name         registry name, e.g. {@code fashion-clip-mini}
 * @param version      the bundle's version; (name, version) is unique in the registry
 * @param kind         {@value #CLIP}: an image tower and a text tower into one embedding space; {@value #FUSED}:
 *                     image and text in, one prediction out
 * @param embeddingDim the length of every embedding both towers produce (clip; 0, absent, for fused)
 * @param normalize    whether Montage L2-normalises embeddings before returning or comparing them (clip)
 * @param logitScale   multiplier of cosine similarities before the zero-shot softmax (CLIP: exp(logit_scale))
 * @param precision    {@code fp32}, {@code fp16}, {@code bf16} (weights inside the TorchScript; inputs and outputs
 *                     fp32) or {@code int8} (dynamically quantized Linear layers)
 * @param license      the weights' licence, shown to tenants
 * @param image        how an image becomes the image tower's input
 * @param text         how a text becomes the text tower's input
 * @param torchscript  the TorchScript file and its method names (engine {@value #PYTORCH})
 * @param zeroShotTemplates prompt templates ({@code {}} = the label) whose text embeddings are averaged per label
 * @param output       what a fused model answers (fused only)
 * @param files        sha256 (hex) of every file of the bundle other than this manifest
 * @param engine       what runs the model: {@value #PYTORCH} (libtorch, the {@code torchscript} section; the default,
 *                     so bundles written before ONNX stay valid) or {@value #ONNXRUNTIME} (the {@code onnx} section)
 * @param onnx         the ONNX graphs, one per entry point (engine {@value #ONNXRUNTIME})
 * @param variant      present when this bundle is an int8 or bf16 copy of an fp32 bundle, with its measured fidelity
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record ModelManifest(String format, String name, String version, String kind, int embeddingDim,
                            boolean normalize, double logitScale, String precision, String license,
                            Image image, Text text, @Nullable TorchScript torchscript,
                            @Nullable List<String> zeroShotTemplates, @Nullable Output output,
                            Map<String, String> files, @Nullable String engine, @Nullable Onnx onnx,
                            @Nullable ModelVariant variant) {

    public static final String FORMAT = "montage-model/1";
    public static final String FILE_NAME = "montage-model.json";
    public static final String CLIP = "clip";
    public static final String FUSED = "fused";
    public static final String PYTORCH = "pytorch";
    public static final String ONNXRUNTIME = "onnxruntime";

    public ModelManifest {
        engine = engine == null ? PYTORCH : engine;
    }

    public boolean fused() {
        return FUSED.equals(kind);
    }

    /** Whether DJL's OnnxRuntime engine runs this bundle (its {@code onnx} graphs) rather than libtorch. */
    public boolean onOnnxRuntime() {
        return ONNXRUNTIME.equals(engine);
    }

    /**
     * PIL semantics throughout: convert to {@code colorMode} (RGB drops alpha, L = ITU-R 601-2 luma), resize so the
     * shorter side is {@code resizeSize} with {@code interpolation} (antialiased, as PIL's Image.resize), crop
     * {@code cropSize}² at the centre, scale to [0, 1], subtract {@code mean} and divide by {@code std} per channel.
     *
     * @param resize        {@code shortest_edge}: the shorter side becomes resizeSize, the longer
     *                      {@code floor(resizeSize · long / short)}; {@code exact}: resizeSize × resizeSize
     * @param interpolation {@code bicubic}, {@code bilinear} or {@code nearest}
     * @param crop          {@code center} or {@code none} (then resizeSize must equal cropSize)
     * @param cropRounding  the crop's top-left offset: {@code round} ((h − size)/2 rounded half to even, as
     *                      torchvision) or {@code floor} (as Hugging Face image processors)
     * @param colorMode     {@code RGB} (3 channels) or {@code L} (1 channel)
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record Image(String resize, int resizeSize, String interpolation, String crop, String cropRounding,
                        int cropSize, String colorMode, List<Double> mean, List<Double> std) {

        public int channels() {
            return "L".equals(colorMode) ? 1 : 3;
        }
    }

    /**
     * @param tokenizer     a Hugging Face {@code tokenizer.json} in the bundle
     * @param contextLength every text is truncated or padded to this many tokens
     * @param padId         the token id used for padding (attention mask 0)
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record Text(String tokenizer, int contextLength, int padId) {
    }

    /**
     * The model's methods. clip: {@code imageMethod(pixels float32[B, C, H, W]) → float32[B, D]};
     * {@code textMethod(input_ids int64[B, L], attention_mask int64[B, L]) → float32[B, D]}. fused:
     * {@code predictMethod(pixels, input_ids, attention_mask) → float32[B, W]}, W the {@link Output#width()}.
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record TorchScript(String file, @Nullable String imageMethod, @Nullable String textMethod,
                              @Nullable String predictMethod) {
    }

    /**
     * A fused model's answer per input: {@value #LABELS}, one softmax probability per label (in this order; they
     * sum to 1), or {@value #SCORE}, one number in [0, 1] called {@code name} (e.g. an image–text match probability).
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record Output(String type, @Nullable List<String> labels, @Nullable String name) {

        public static final String LABELS = "labels";
        public static final String SCORE = "score";

        /** The columns the predict method returns per row. */
        public int width() {
            return LABELS.equals(type) && labels != null ? labels.size() : 1;
        }
    }

    /**
     * A bundle's ONNX graphs (file names in the bundle), one per entry point, each with a dynamic batch axis and the
     * TorchScript methods' inputs and output in the same order: clip {@code image} (pixels → embeddings) and
     * {@code text} (input_ids, attention_mask → embeddings); fused {@code predict} (pixels, input_ids,
     * attention_mask → probabilities).
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record Onnx(@Nullable String image, @Nullable String text, @Nullable String predict) {
    }
}
