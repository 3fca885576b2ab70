package io.montage.bench.raw;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

import java.nio.FloatBuffer;

/**
 * The smallest translator that runs a named TorchScript method on a batch of pixels — what the worker's
 * TowerTranslator does for images (package-private there, so repeated here): a marker array named
 * {@code module_method:<name>} first in the list is how DJL's PyTorch engine calls a method other than forward.
 * Arrays live in the per-call manager and are freed after each batch, as in the worker.
 */
final class ImageTowerTranslator implements NoBatchifyTranslator<ImageTowerTranslator.Pixels, float[][]> {

    /** float32[rows, channels, size, size], row-major. */
    record Pixels(float[] values, int rows, int channels, int size) {
    }

    private final String method;

    ImageTowerTranslator(String method) {
        this.method = method;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Pixels pixels) {
        NDManager manager = ctx.getNDManager();
        NDArray marker = manager.create(new float[]{0f});
        marker.setName("module_method:" + method);
        return new NDList(marker, manager.create(FloatBuffer.wrap(pixels.values()),
                new Shape(pixels.rows(), pixels.channels(), pixels.size(), pixels.size())));
    }

    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList list) {
        NDArray embeddings = list.singletonOrThrow();
        int rows = (int) embeddings.getShape().get(0);
        int dim = (int) embeddings.getShape().get(1);
        float[] flat = embeddings.toFloatArray();
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = java.util.Arrays.copyOfRange(flat, r * dim, (r + 1) * dim);
        }
        return out;
    }
}
