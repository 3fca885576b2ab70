package io.montage.worker.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;

/**
 * Feeds a whole batch to one named TorchScript method ({@code encode_image} or {@code encode_text}, or a fused
 * model's {@code predict} over both) and reads back one row per input: an embedding, or a fused model's output. The arrays live in the per-call context manager, so native memory is freed after every
 * batch. The leading marker array is how DJL's PyTorch engine selects a method other than {@code forward}. Public
 * for deploy/bench, whose raw loop must run the towers exactly as the worker does.
 */
public final class TowerTranslator implements NoBatchifyTranslator<TowerTranslator.Batch, float[][]> {

    /** A padded batch, flattened row-major. */
    public sealed interface Batch permits Pixels, Tokens, PixelsAndTokens {
        int rows();
    }

    /** float32[rows, channels, size, size] */
    public record Pixels(float[] values, int rows, int channels, int size) implements Batch {
    }

    /** int64[rows, length] token ids and attention mask */
    public record Tokens(long[] ids, long[] mask, int rows, int length) implements Batch {
    }

    /** A fused model's batch: the images' pixels and the texts' tokens, row r of each one input. */
    public record PixelsAndTokens(Pixels pixels, Tokens tokens) implements Batch {
        public PixelsAndTokens {
            if (pixels.rows() != tokens.rows()) {
                throw new IllegalArgumentException("a fused batch needs as many texts as images");
            }
        }

        @Override
        public int rows() {
            return pixels.rows();
        }
    }

    private final String method;

    public TowerTranslator(String method) {
        this.method = method;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Batch batch) {
        NDManager manager = ctx.getNDManager();
        NDArray marker = manager.create(new float[]{0f});
        marker.setName("module_method:" + method);
        return switch (batch) {
            case Pixels p -> new NDList(marker, pixels(manager, p));
            case Tokens t -> new NDList(marker).addAll(tokens(manager, t));
            case PixelsAndTokens both -> new NDList(marker, pixels(manager, both.pixels()))
                    .addAll(tokens(manager, both.tokens()));
        };
    }

    private static NDArray pixels(NDManager manager, Pixels p) {
        return manager.create(FloatBuffer.wrap(p.values()), new Shape(p.rows(), p.channels(), p.size(), p.size()));
    }

    private static NDList tokens(NDManager manager, Tokens t) {
        return new NDList(manager.create(LongBuffer.wrap(t.ids()), new Shape(t.rows(), t.length())),
                manager.create(LongBuffer.wrap(t.mask()), new Shape(t.rows(), t.length())));
    }

    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList list) {
        NDArray embeddings = list.singletonOrThrow();
        Shape shape = embeddings.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalStateException(method + " returned shape " + shape + ", expected [batch, dim]");
        }
        int rows = (int) shape.get(0);
        int dim = (int) shape.get(1);
        float[] flat = embeddings.toFloatArray();
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = java.util.Arrays.copyOfRange(flat, r * dim, (r + 1) * dim);
        }
        return out;
    }
}
