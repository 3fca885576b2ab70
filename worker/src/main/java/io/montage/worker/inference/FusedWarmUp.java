package io.montage.worker.inference;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.montage.models.ModelManifest;

import java.util.Collections;

/**
 * A fused model's validation and warm-up: its predict method runs once at every batch size, and what comes back
 * must be what the manifest's {@code output} promises, [rows, width] of finite values; labels a probability
 * distribution per row (each in [0, 1], summing to 1), a score in [0, 1]. A model that answers logits where the
 * manifest says probabilities fails here, not in a tenant's answer.
 */
final class FusedWarmUp {

    /** How far a row of float32 softmax probabilities may sum from 1. */
    private static final double SUM_TOLERANCE = 1e-3;

    private FusedWarmUp() {
    }

    static void run(ModelManifest manifest, ModelRuntime runtime, TextTokenizer tokenizer, InferenceConfig config)
            throws TranslateException {
        ModelManifest.Image image = manifest.image();
        int pixelCount = image.channels() * image.cropSize() * image.cropSize();
        TextTokenizer.Tokens text = tokenizer.tokenize("a photo");
        try (Predictor<TowerTranslator.Batch, float[][]> predict = runtime.newPredictor(ModelRuntime.EntryPoint.PREDICT)) {
            for (int size : config.batchSizes()) {
                TowerTranslator.Batch batch = new TowerTranslator.PixelsAndTokens(
                        new TowerTranslator.Pixels(new float[size * pixelCount], size, image.channels(), image.cropSize()),
                        LoadedModel.tokensBatch(Collections.nCopies(size, text), manifest.text().contextLength()));
                check(manifest.output(), predict.predict(batch), size);
            }
        }
    }

    static void check(ModelManifest.Output output, float[][] out, int rows) {
        int width = output.width();
        if (out.length != rows || out[0].length != width) {
            throw new IllegalStateException("the predict method returned [" + out.length + ", " + out[0].length
                    + "], the manifest promises [" + rows + ", " + width + "]");
        }
        for (float[] row : out) {
            double sum = 0;
            for (float v : row) {
                if (!Float.isFinite(v) || v < 0 || v > 1) {
                    throw new IllegalStateException("the predict method returned " + v + ", not a probability in [0, 1]");
                }
                sum += v;
            }
            if (ModelManifest.Output.LABELS.equals(output.type()) && Math.abs(sum - 1) > SUM_TOLERANCE) {
                throw new IllegalStateException("the predict method's probabilities sum to " + sum
                        + ", not 1: the manifest's output is labels (softmax probabilities)");
            }
        }
    }
}
