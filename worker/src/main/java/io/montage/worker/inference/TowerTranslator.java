package io.montage.worker.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Objects;

/**
 * Feeds a whole batch to one entry point of a model, a named TorchScript method ({@code encode_image} or
 * {@code encode_text}, or a fused model's {@code predict} over both) or an ONNX graph, and reads back one row per
 * input: an embedding, or a fused model's output. The arrays live in the per-call context manager, so native memory
 * is freed after every batch. For TorchScript, a leading marker array is how DJL's PyTorch engine selects a method
 * other than {@code forward}; an ONNX graph gets its inputs by name ({@code pixels}, {@code input_ids},
 * {@code attention_mask}, as deploy/models/export_onnx.py names them). Public for deploy/bench, whose raw loop must
 * run the towers exactly as the worker does.
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

    /** The TorchScript method, or null for an ONNX graph (one entry point per graph). */
    private final String method;

    /** A translator for the TorchScript method {@code method}. */
    public TowerTranslator(String method) {
        this.method = Objects.requireNonNull(method);
    }

    private TowerTranslator() {
        this.method = null;
    }

    /** A translator for an ONNX graph: inputs named as the graph names them, no method marker. */
    public static TowerTranslator onnxGraph() {
        return new TowerTranslator();
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Batch batch) {
        NDManager manager = ctx.getNDManager();
        NDList inputs = switch (batch) {
            case Pixels p -> new NDList(pixels(manager, p));
            case Tokens t -> tokens(manager, t);
            case PixelsAndTokens both -> new NDList(pixels(manager, both.pixels())).addAll(tokens(manager, both.tokens()));
        };
        if (method == null) {
            List<String> names = switch (batch) {
                case Pixels p -> List.of("pixels");
                case Tokens t -> List.of("input_ids", "attention_mask");
                case PixelsAndTokens both -> List.of("pixels", "input_ids", "attention_mask");
            };
            for (int i = 0; i < names.size(); i++) {
                inputs.get(i).setName(names.get(i));
            }
            return inputs;
        }
        NDArray marker = manager.create(new float[]{0f});
        marker.setName("module_method:" + method);
        return new NDList(marker).addAll(inputs);
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
            throw new IllegalStateException((method == null ? "the ONNX graph" : method) + " returned shape " + shape
                    + ", expected [batch, dim]");
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
