package io.montage.bench.search;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import io.micronaut.json.JsonMapper;
import io.montage.models.ModelManifest;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A bundle's two towers loaded straight into DJL, set up as the worker sets them up (offline, {@code threads}
 * intra-op threads, one inter-op thread, a named TorchScript method per tower, outputs L2-normalised when the
 * manifest says so) — but without the platform around them. The worker's own translator and tokenizer wrapper are
 * package-private there, so this is the same ~50 lines again (see worker TowerTranslator / TextTokenizer).
 * One instance per thread: a DJL Predictor is not thread-safe.
 */
public final class ClipTowers implements AutoCloseable {

    private sealed interface Batch permits Pixels, Tokens {
    }

    /** float32[rows, channels, size, size] */
    private record Pixels(float[] values, int rows, int channels, int size) implements Batch {
    }

    /** int64[rows, length] ids and attention mask */
    private record Tokens(long[] ids, long[] mask, int rows, int length) implements Batch {
    }

    private final Path dir;
    private final ModelManifest manifest;
    private final ai.djl.Model model;
    private final Predictor<Batch, float[][]> image;
    private final Predictor<Batch, float[][]> text;
    private final HuggingFaceTokenizer tokenizer;

    private ClipTowers(Path dir, ModelManifest manifest, ai.djl.Model model, HuggingFaceTokenizer tokenizer) {
        this.dir = dir;
        this.manifest = manifest;
        this.model = model;
        this.tokenizer = tokenizer;
        this.image = model.newPredictor(new Translator(manifest.torchscript().imageMethod()));
        this.text = model.newPredictor(new Translator(manifest.torchscript().textMethod()));
    }

    /** Must run before anything loads DJL's engine: it reads these once. Same settings as the worker's. */
    public static void configureEngine(int threads) {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }

    public static ModelManifest manifest(Path dir) throws IOException {
        return JsonMapper.createDefault().readValue(Files.readAllBytes(dir.resolve(ModelManifest.FILE_NAME)),
                ModelManifest.class);
    }

    public static ClipTowers load(Path dir) throws IOException, MalformedModelException {
        ModelManifest manifest = manifest(dir);
        ai.djl.Model model = ai.djl.Model.newInstance(manifest.name(), Device.cpu(), "PyTorch");
        try {
            model.load(dir, manifest.torchscript().file());
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(dir.resolve(manifest.text().tokenizer()))
                    .optTruncation(true)
                    .optMaxLength(manifest.text().contextLength())
                    .optPadding(false)
                    .optAddSpecialTokens(true)
                    .build();
            return new ClipTowers(dir, manifest, model, tokenizer);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public Path dir() {
        return dir;
    }

    public ModelManifest manifest() {
        return manifest;
    }

    /** Embeddings of preprocessed images (CHW floats each, from ImagePreprocessor), one forward pass. */
    public float[][] embedImages(List<float[]> pixels) throws TranslateException {
        ModelManifest.Image spec = manifest.image();
        int each = pixels.getFirst().length;
        float[] values = new float[pixels.size() * each];
        for (int r = 0; r < pixels.size(); r++) {
            System.arraycopy(pixels.get(r), 0, values, r * each, each);
        }
        return finish(image.predict(new Pixels(values, pixels.size(), spec.channels(), spec.cropSize())));
    }

    /** Embeddings of texts, one forward pass (tokenised like the worker: truncated, then padded with pad_id). */
    public float[][] embedTexts(List<String> texts) throws TranslateException {
        int length = manifest.text().contextLength();
        long[] ids = new long[texts.size() * length];
        long[] mask = new long[texts.size() * length];
        Arrays.fill(ids, manifest.text().padId());
        for (int r = 0; r < texts.size(); r++) {
            Encoding encoding = tokenizer.encode(texts.get(r));
            long[] real = encoding.getIds();
            int n = Math.min(real.length, length);
            System.arraycopy(real, 0, ids, r * length, n);
            Arrays.fill(mask, r * length, r * length + n, 1L);
        }
        return finish(text.predict(new Tokens(ids, mask, texts.size(), length)));
    }

    private float[][] finish(float[][] rows) {
        if (manifest.normalize()) {
            for (float[] row : rows) {
                normalize(row);
            }
        }
        return rows;
    }

    public static void normalize(float[] row) {
        double sum = 0;
        for (float v : row) {
            sum += v * (double) v;
        }
        if (sum > 0) {
            float scale = (float) (1 / Math.sqrt(sum));
            for (int i = 0; i < row.length; i++) {
                row[i] *= scale;
            }
        }
    }

    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * (double) b[i];
            na += a[i] * (double) a[i];
            nb += b[i] * (double) b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Override
    public void close() {
        image.close();
        text.close();
        tokenizer.close();
        model.close();
    }

    /** Runs one named method on a whole batch; a marker array named module_method:… selects it (DJL PyTorch). */
    private static final class Translator implements NoBatchifyTranslator<Batch, float[][]> {

        private final String method;

        Translator(String method) {
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

        @Override
        public float[][] processOutput(TranslatorContext ctx, NDList list) {
            NDArray out = list.singletonOrThrow();
            int rows = (int) out.getShape().get(0);
            int dim = (int) out.getShape().get(1);
            float[] flat = out.toFloatArray();
            float[][] result = new float[rows][];
            for (int r = 0; r < rows; r++) {
                result[r] = Arrays.copyOfRange(flat, r * dim, (r + 1) * dim);
            }
            return result;
        }
    }
}
