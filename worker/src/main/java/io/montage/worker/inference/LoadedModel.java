package io.montage.worker.inference;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.montage.models.Model;
import io.montage.models.ModelManifest;
import io.montage.worker.fairshare.Flow;
import io.montage.worker.images.ImagePreprocessor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A registered model loaded on its engine ({@link ModelRuntime}: TorchScript on libtorch or ONNX on OnnxRuntime),
 * its tokenizer and its dynamic batchers, one per tower of a clip model, one for a fused model's predict method. Every configured batch size is warmed up before the
 * model serves, so no request pays for a first-time shape.
 */
final class LoadedModel implements AutoCloseable {

    private final Model model;
    private final ModelRuntime runtime;
    private final TextTokenizer tokenizer;
    private final ImagePreprocessor preprocessor;
    private final InferenceConfig config;
    private final DynamicBatcher<float[]> images; // clip only
    private final DynamicBatcher<TextTokenizer.Tokens> texts; // clip only
    private final DynamicBatcher<Pair> predictions; // fused only
    private final long weightBytes;

    /** One input of a fused model: an image's preprocessed pixels and a text's tokens. */
    record Pair(float[] pixels, TextTokenizer.Tokens tokens) {
    }

    private LoadedModel(Model model, ModelRuntime runtime, long weightBytes, TextTokenizer tokenizer,
                        ImagePreprocessor preprocessor, InferenceConfig config, MeterRegistry metrics) {
        this.model = model;
        this.runtime = runtime;
        this.weightBytes = weightBytes;
        this.tokenizer = tokenizer;
        this.preprocessor = preprocessor;
        this.config = config;
        boolean fused = model.manifest().fused();
        this.images = fused ? null : new DynamicBatcher<>("infer-" + model.name() + "-image", config.maxBatchSize(),
                config.maxBatchDelay(), config.runnersPerModel(),
                () -> runner(ModelRuntime.EntryPoint.IMAGE, this::pixels, BatchMeters.of(metrics, model, "image")));
        this.texts = fused ? null : new DynamicBatcher<>("infer-" + model.name() + "-text", config.maxBatchSize(),
                config.maxBatchDelay(), config.runnersPerModel(),
                () -> runner(ModelRuntime.EntryPoint.TEXT, this::tokens, BatchMeters.of(metrics, model, "text")));
        this.predictions = !fused ? null : new DynamicBatcher<>("infer-" + model.name() + "-predict",
                config.maxBatchSize(), config.maxBatchDelay(), config.runnersPerModel(),
                () -> runner(ModelRuntime.EntryPoint.PREDICT, this::pairs, BatchMeters.of(metrics, model, "predict")));
    }

    /** Loads and warms up a model; on any failure nothing stays loaded. */
    static LoadedModel load(Model model, InferenceConfig config, Device device, MeterRegistry metrics)
            throws IOException, MalformedModelException, TranslateException {
        ModelRuntime runtime = ModelRuntime.load(model.manifest(), model.bundlePath(), model.reference(), device,
                EngineSettings.threads(config));
        TextTokenizer tokenizer = null;
        try {
            tokenizer = new TextTokenizer(model.bundlePath(), model.manifest().text());
            ImagePreprocessor preprocessor = new ImagePreprocessor(model.manifest().image()); // checks the spec
            if (model.manifest().fused()) {
                FusedWarmUp.run(model.manifest(), runtime, tokenizer, config);
            } else {
                warmUp(model.manifest(), runtime, tokenizer, config);
            }
            return new LoadedModel(model, runtime, weightBytes(model.manifest(), model.bundlePath()), tokenizer,
                    preprocessor, config, metrics);
        } catch (IOException | TranslateException | RuntimeException e) {
            if (tokenizer != null) {
                tokenizer.close();
            }
            runtime.close();
            throw e;
        }
    }

    /**
     * The bytes of the model files the bundle's engine loads: the TorchScript file (libtorch), or the sum of the ONNX
     * graphs (OnnxRuntime), each file counted once.
     */
    static long weightBytes(ModelManifest manifest, Path dir) throws IOException {
        if (!manifest.onOnnxRuntime()) {
            return Files.size(dir.resolve(manifest.torchscript().file()));
        }
        ModelManifest.Onnx onnx = manifest.onnx();
        Set<String> graphs = new LinkedHashSet<>();
        for (String file : new String[]{onnx.image(), onnx.text(), onnx.predict()}) {
            if (file != null) {
                graphs.add(file);
            }
        }
        long bytes = 0;
        for (String file : graphs) {
            bytes += Files.size(dir.resolve(file));
        }
        return bytes;
    }

    /** Runs both towers once at every batch size and checks what comes back. */
    private static void warmUp(ModelManifest manifest, ModelRuntime runtime, TextTokenizer tokenizer,
                               InferenceConfig config) throws TranslateException {
        ModelManifest.Image image = manifest.image();
        int pixelCount = image.channels() * image.cropSize() * image.cropSize();
        TextTokenizer.Tokens text = tokenizer.tokenize("a photo");
        try (Predictor<TowerTranslator.Batch, float[][]> imageTower = runtime.newPredictor(ModelRuntime.EntryPoint.IMAGE);
             Predictor<TowerTranslator.Batch, float[][]> textTower = runtime.newPredictor(ModelRuntime.EntryPoint.TEXT)) {
            for (int size : config.batchSizes()) {
                check(manifest, "image", imageTower.predict(new TowerTranslator.Pixels(
                        new float[size * pixelCount], size, image.channels(), image.cropSize())), size);
                check(manifest, "text", textTower.predict(tokensBatch(java.util.Collections.nCopies(size, text),
                        manifest.text().contextLength())), size);
            }
        }
    }

    private static void check(ModelManifest manifest, String tower, float[][] out, int rows) {
        if (out.length != rows || out[0].length != manifest.embeddingDim()) {
            throw new IllegalStateException("the " + tower + " tower returned [" + out.length + ", " + out[0].length
                    + "], the manifest promises [" + rows + ", " + manifest.embeddingDim() + "]");
        }
        for (float[] row : out) {
            for (float v : row) {
                if (!Float.isFinite(v)) {
                    throw new IllegalStateException("the " + tower + " tower returned a non-finite value");
                }
            }
        }
    }

    Model model() {
        return model;
    }

    /** This model's image preprocessing (the manifest's rules, checked when the model loaded). */
    ImagePreprocessor preprocessor() {
        return preprocessor;
    }

    /**
     * The bytes of the model files its engine loads (the TorchScript file, or the ONNX graphs together): its weights
     * at rest (int8 or bf16 in a variant).
     */
    long weightBytes() {
        return weightBytes;
    }

    /** Embeds one preprocessed image (CHW floats) in {@code flow}'s turn; batched with other requests. */
    CompletableFuture<float[]> embedImage(Flow flow, float[] pixels) {
        return clip(images).submit(flow, pixels);
    }

    /** A fused model's output for one image (CHW floats) and text, in {@code flow}'s turn; batched. */
    CompletableFuture<float[]> predict(Flow flow, float[] pixels, TextTokenizer.Tokens tokens) {
        if (predictions == null) {
            throw new IllegalStateException(model.reference() + " is a clip model: it embeds, it does not predict");
        }
        return predictions.submit(flow, new Pair(pixels, tokens));
    }

    /** The api routes only clip work to a clip model; a fused one reaching here is a bug, not a bad input. */
    private <I> DynamicBatcher<I> clip(DynamicBatcher<I> batcher) {
        if (batcher == null) {
            throw new IllegalStateException(model.reference() + " is a fused model: it predicts, it does not embed");
        }
        return batcher;
    }

    TextTokenizer.Tokens tokenize(String text) {
        return tokenizer.tokenize(text);
    }

    /** Embeds one tokenised text in {@code flow}'s turn; batched with other requests. */
    CompletableFuture<float[]> embedTokens(Flow flow, TextTokenizer.Tokens tokens) {
        return clip(texts).submit(flow, tokens);
    }

    /**
     * A tower's meters: the model's time per batch ({@code montage_worker_model_seconds}, beside the decode time
     * of {@code Embedder}), the batch's size and its fill (size / montage.inference.max-batch-size), by model name
     * and tower: registered models are few, so the series are too.
     */
    private record BatchMeters(Timer model, DistributionSummary size, DistributionSummary fill) {
        static BatchMeters of(MeterRegistry metrics, Model model, String tower) {
            return new BatchMeters(
                    Timer.builder("montage.worker.model").description("Model forward time per batch")
                            .tag("model", model.name()).tag("tower", tower).register(metrics),
                    DistributionSummary.builder("montage.worker.batch.size").description("Requests per batch")
                            .tag("model", model.name()).tag("tower", tower).register(metrics),
                    DistributionSummary.builder("montage.worker.batch.fill")
                            .description("Batch size over the largest batch (0..1]")
                            .tag("model", model.name()).tag("tower", tower).register(metrics));
        }
    }

    private <I> DynamicBatcher.BatchRunner<I> runner(ModelRuntime.EntryPoint entry, Packer<I> packer,
                                                     BatchMeters meters) {
        Predictor<TowerTranslator.Batch, float[][]> predictor = runtime.newPredictor(entry);
        boolean normalize = model.manifest().normalize();
        return new DynamicBatcher.BatchRunner<>() {
            @Override
            public float[][] run(List<I> batch) throws TranslateException {
                meters.size().record(batch.size());
                meters.fill().record((double) batch.size() / config.maxBatchSize());
                TowerTranslator.Batch packed = packer.pack(batch, config.bucketFor(batch.size()));
                Timer.Sample started = Timer.start();
                float[][] out;
                try {
                    out = predictor.predict(packed);
                } finally {
                    started.stop(meters.model());
                }
                float[][] rows = Arrays.copyOf(out, batch.size()); // drop the padding rows
                if (normalize) {
                    for (float[] row : rows) {
                        Vectors.normalize(row);
                    }
                }
                return rows;
            }

            @Override
            public void close() {
                predictor.close();
            }
        };
    }

    /** Packs requests into a batch padded to {@code rows} by repeating the last request. */
    @FunctionalInterface
    private interface Packer<I> {
        TowerTranslator.Batch pack(List<I> batch, int rows);
    }

    private TowerTranslator.Pixels pixels(List<float[]> batch, int rows) {
        ModelManifest.Image image = model.manifest().image();
        int each = batch.getFirst().length;
        float[] values = new float[rows * each];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(batch.get(Math.min(r, batch.size() - 1)), 0, values, r * each, each);
        }
        return new TowerTranslator.Pixels(values, rows, image.channels(), image.cropSize());
    }

    private TowerTranslator.Batch pairs(List<Pair> batch, int rows) {
        List<float[]> pixels = new java.util.ArrayList<>(batch.size());
        List<TextTokenizer.Tokens> tokens = new java.util.ArrayList<>(batch.size());
        for (Pair pair : batch) {
            pixels.add(pair.pixels());
            tokens.add(pair.tokens());
        }
        return new TowerTranslator.PixelsAndTokens(pixels(pixels, rows), tokens(tokens, rows));
    }

    private TowerTranslator.Tokens tokens(List<TextTokenizer.Tokens> batch, int rows) {
        List<TextTokenizer.Tokens> padded = new java.util.ArrayList<>(batch);
        while (padded.size() < rows) {
            padded.add(batch.getLast());
        }
        return tokensBatch(padded, model.manifest().text().contextLength());
    }

    static TowerTranslator.Tokens tokensBatch(List<TextTokenizer.Tokens> rows, int length) {
        long[] ids = new long[rows.size() * length];
        long[] mask = new long[rows.size() * length];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r).ids(), 0, ids, r * length, length);
            System.arraycopy(rows.get(r).mask(), 0, mask, r * length, length);
        }
        return new TowerTranslator.Tokens(ids, mask, rows.size(), length);
    }

    @Override
    public void close() {
        for (DynamicBatcher<?> batcher : new DynamicBatcher<?>[]{images, texts, predictions}) {
            if (batcher != null) {
                batcher.close();
            }
        }
        tokenizer.close();
        runtime.close();
    }
}
