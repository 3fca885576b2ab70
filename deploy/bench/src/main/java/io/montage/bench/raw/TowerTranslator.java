package io.montage.bench.raw;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;

/**
 * The smallest translator that runs a named TorchScript method on a whole batch — what the worker's TowerTranslator
 * does (package-private there, so repeated here, once for every benchmark): a marker array named
 * {@code module_method:<name>} first in the list is how DJL's PyTorch engine calls a method other than forward.
 * Arrays live in the per-call manager and are freed after each batch, as in the worker.
 */
final class TowerTranslator implements NoBatchifyTranslator<TowerTranslator.Batch, float[][]> {

    /** One forward pass's input. */
    sealed interface Batch permits Pixels, Tokens {
    }

    /** float32[rows, channels, size, size], row-major: the image tower's input. */
    record Pixels(float[] values, int rows, int channels, int size) implements Batch {
    }

    /** int64[rows, length] token ids and attention mask: the text tower's input. */
    record Tokens(long[] ids, long[] mask, int rows, int length) implements Batch {
    }

    private final String method;

    TowerTranslator(String method) {
        this.method = method;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Batch batch) {
        NDManager manager = ctx.getNDManager();
        NDArray marker = manager.create(new float[]{0f});
        marker.setName("module_method:" + method);
        return switch (batch) {
            case Pixels p -> new NDList(marker, manager.create(FloatBuffer.wrap(p.values()),
                    new Shape(p.rows(), p.channels(), p.size(), p.size())));
            case Tokens t -> new NDList(marker,
                    manager.create(LongBuffer.wrap(t.ids()), new Shape(t.rows(), t.length())),
                    manager.create(LongBuffer.wrap(t.mask()), new Shape(t.rows(), t.length())));
        };
    }

    /** One embedding per row, as the tower returns it (not normalised). */
    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList list) {
        NDArray embeddings = list.singletonOrThrow();
        int rows = (int) embeddings.getShape().get(0);
        int dim = (int) embeddings.getShape().get(1);
        float[] flat = embeddings.toFloatArray();
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = Arrays.copyOfRange(flat, r * dim, (r + 1) * dim);
        }
        return out;
    }
}
