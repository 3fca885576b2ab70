package io.montage.models;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.util.Map;

/**
 * A manifest's {@code variant} section: this bundle is a cheaper copy (int8 or bf16) of an fp32 bundle, made by
 * deploy/models/make_variants.py, with what it cost in fidelity measured against that bundle rather than assumed.
 * A variant registers as its own version of the same model name.
 *
 * @param of          the fp32 bundle it derives from
 * @param method      {@code int8} (dynamic quantization of the Linear layers) or {@code bf16} (weights cast inside
 *                    the TorchScript); equals the manifest's precision
 * @param description how it was made, in words
 * @param madeBy      the tool that made it
 * @param fidelity    measured against the fp32 bundle on that bundle's reference set
 * @param speed       items per second measured by the tool, side by side with the fp32 bundle (absent when skipped)
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record ModelVariant(Of of, String method, @Nullable String description, @Nullable String madeBy,
                           Fidelity fidelity, @Nullable Speed speed) {

    /**
     * @param name        the fp32 bundle's name (the variant's name too)
     * @param version     the fp32 bundle's version
     * @param modelSha256 sha256 of the fp32 bundle's TorchScript
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record Of(String name, String version, String modelSha256) {
    }

    /**
     * Clip: the cosine between the variant's and the fp32 embeddings per tower, minimum and mean. Fused: the largest
     * |Δ probability| over every answer and the held-out accuracy.
     *
     * @param reference the reference set, in words (file and count)
     * @param engine    the quantized kernels the numbers were measured with ({@code native} for bf16)
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record Fidelity(String reference, @Nullable String engine,
                           @Nullable Double imageCosineMin, @Nullable Double imageCosineMean,
                           @Nullable Double textCosineMin, @Nullable Double textCosineMean,
                           @Nullable Double maxAbsProbDiff, @Nullable Double heldoutAccuracy,
                           @Nullable Integer heldoutCorrect, @Nullable Double fp32HeldoutAccuracy,
                           @Nullable Integer sameAnswerAsFp32, @Nullable Integer count) {
    }

    /**
     * @param machine             CPU, cores, threads and runtime of the measurement
     * @param itemsPerSecond      per tower ({@code image}, {@code text}; {@code predict} for fused), per batch size
     * @param fp32ItemsPerSecond  the fp32 bundle, measured in the same run
     */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record Speed(String machine, Map<String, Map<String, Double>> itemsPerSecond,
                        Map<String, Map<String, Double>> fp32ItemsPerSecond) {
    }
}
