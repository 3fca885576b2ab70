package io.montage.models;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.util.List;
import java.util.Map;

/**
 * {@code montage-model.json}: everything needed to serve a CLIP-style model from its files, with no code. The
 * preprocessing is spelled out (not "like CLIP") because that is where serving silently drifts from training.
 *
 * @param format       always {@code montage-model/1}
 * @param name         registry name, e.g. {@code fashion-clip-mini}
 * @param version      the bundle's version; (name, version) is unique in the registry
 * @param kind         {@code clip}: an image tower and a text tower into one embedding space
 * @param embeddingDim the length of every embedding both towers produce
 * @param normalize    whether Montage L2-normalises embeddings before returning or comparing them
 * @param logitScale   multiplier of cosine similarities before the zero-shot softmax (CLIP: exp(logit_scale))
 * @param precision    {@code fp32}, {@code fp16} or {@code bf16} (inside the TorchScript; inputs and outputs fp32)
 * @param license      the weights' licence, shown to tenants
 * @param image        how an image becomes the image tower's input
 * @param text         how a text becomes the text tower's input
 * @param torchscript  the TorchScript file and its method names
 * @param zeroShotTemplates prompt templates ({@code {}} = the label) whose text embeddings are averaged per label
 * @param files        sha256 (hex) of every file of the bundle other than this manifest
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record ModelManifest(String format, String name, String version, String kind, int embeddingDim,
                            boolean normalize, double logitScale, String precision, String license,
                            Image image, Text text, TorchScript torchscript,
                            @Nullable List<String> zeroShotTemplates, Map<String, String> files) {

    public static final String FORMAT = "montage-model/1";
    public static final String FILE_NAME = "montage-model.json";

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
     * The model's methods. {@code imageMethod(pixels float32[B, C, H, W]) → float32[B, D]};
     * {@code textMethod(input_ids int64[B, L], attention_mask int64[B, L]) → float32[B, D]}.
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record TorchScript(String file, String imageMethod, String textMethod) {
    }
}
