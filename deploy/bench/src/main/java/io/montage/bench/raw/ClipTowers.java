package io.montage.bench.raw;

import io.montage.worker.inference.TowerTranslator;
import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.montage.bench.Bundle;
import io.montage.models.ModelManifest;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * A bundle's two towers loaded straight into DJL, set up as the worker sets them up (offline, {@code threads}
 * intra-op threads, one inter-op thread, a named TorchScript method per tower through {@link TowerTranslator},
 * outputs L2-normalised when the manifest says so), so the only difference to the platform is the platform. The
 * embedding benchmark times {@link #embed} on batches packed beforehand; the search and bulk benchmarks use
 * {@link #embedImages} and {@link #embedTexts}. The tokenizer is loaded on the first text only.
 * One instance per thread: a DJL Predictor is not thread-safe.
 */
public final class ClipTowers implements AutoCloseable {

    private final Bundle bundle;
    private final ai.djl.Model model;
    private final Predictor<TowerTranslator.Batch, float[][]> image;
    private final Predictor<TowerTranslator.Batch, float[][]> text;
    private HuggingFaceTokenizer tokenizer;

    private ClipTowers(Bundle bundle, ai.djl.Model model) {
        ModelManifest.TorchScript torchscript = bundle.manifest().torchscript();
        this.bundle = bundle;
        this.model = model;
        this.image = model.newPredictor(new TowerTranslator(torchscript.imageMethod()));
        this.text = model.newPredictor(new TowerTranslator(torchscript.textMethod()));
    }

    /** Must run before anything else touches DJL: the engine reads these properties once, when it loads. */
    public static void configureEngine(int threads) {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }

    public static String engineVersion() {
        return "DJL " + Engine.getDjlVersion() + ", PyTorch " + Engine.getEngine("PyTorch").getVersion();
    }

    public static ClipTowers load(Bundle bundle) throws IOException, MalformedModelException {
        ModelManifest manifest = bundle.manifest();
        ai.djl.Model model = ai.djl.Model.newInstance(manifest.name(), Device.cpu(), "PyTorch");
        try {
            model.load(bundle.dir(), manifest.torchscript().file());
            return new ClipTowers(bundle, model);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public ModelManifest manifest() {
        return bundle.manifest();
    }

    /** Packs preprocessed images (CHW floats each, from ImagePreprocessor) into one input. */
    TowerTranslator.Pixels pack(List<float[]> rows) {
        ModelManifest.Image spec = manifest().image();
        int each = rows.getFirst().length;
        float[] values = new float[rows.size() * each];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r), 0, values, r * each, each);
        }
        return new TowerTranslator.Pixels(values, rows.size(), spec.channels(), spec.cropSize());
    }

    /** One forward pass of the image tower on a packed batch: one embedding per row, not normalised. */
    float[][] embed(TowerTranslator.Pixels batch) throws TranslateException {
        return image.predict(batch);
    }

    /** Embeddings of preprocessed images, one forward pass, normalised when the manifest says so. */
    public float[][] embedImages(List<float[]> pixels) throws TranslateException {
        return finish(embed(pack(pixels)));
    }

    /** Embeddings of texts, one forward pass (tokenised like the worker: truncated, then padded with pad_id). */
    public float[][] embedTexts(List<String> texts) throws IOException, TranslateException {
        return finish(embed(tokens(texts)));
    }

    /** One forward pass of the text tower on tokenised texts: one embedding per row, not normalised. */
    float[][] embed(TowerTranslator.Tokens batch) throws TranslateException {
        return text.predict(batch);
    }

    /** Texts tokenised as the worker does: truncated to the context length, then padded with pad_id. */
    TowerTranslator.Tokens tokens(List<String> texts) throws IOException {
        ModelManifest.Text spec = manifest().text();
        if (tokenizer == null) {
            tokenizer = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(bundle.dir().resolve(spec.tokenizer()))
                    .optTruncation(true)
                    .optMaxLength(spec.contextLength())
                    .optPadding(false)
                    .optAddSpecialTokens(true)
                    .build();
        }
        int length = spec.contextLength();
        long[] ids = new long[texts.size() * length];
        long[] mask = new long[texts.size() * length];
        Arrays.fill(ids, spec.padId());
        for (int r = 0; r < texts.size(); r++) {
            Encoding encoding = tokenizer.encode(texts.get(r));
            long[] real = encoding.getIds();
            int n = Math.min(real.length, length);
            System.arraycopy(real, 0, ids, r * length, n);
            Arrays.fill(mask, r * length, r * length + n, 1L);
        }
        return new TowerTranslator.Tokens(ids, mask, texts.size(), length);
    }

    /** One image's embedding at batch 1, L2-normalised as the platform returns it: the reference for the api check. */
    public float[] normalisedEmbedding(float[] pixels) throws TranslateException {
        float[] row = embed(pack(List.of(pixels)))[0];
        normalize(row);
        return row;
    }

    private float[][] finish(float[][] rows) {
        if (manifest().normalize()) {
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
        if (tokenizer != null) {
            tokenizer.close();
        }
        model.close();
    }
}
