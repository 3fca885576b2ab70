package io.montage.bench.raw;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.montage.bench.Bundle;
import io.montage.models.ModelManifest;

import java.io.IOException;
import java.util.List;

/**
 * A bundle's image tower loaded straight into DJL, with the engine set up as the worker sets it up (offline,
 * {@code threads} intra-op threads, one inter-op thread), so the only difference to the platform is the platform.
 */
public final class RawTower implements AutoCloseable {

    private final ai.djl.Model model;
    private final Predictor<ImageTowerTranslator.Pixels, float[][]> predictor;
    private final ModelManifest.Image image;

    private RawTower(ai.djl.Model model, Predictor<ImageTowerTranslator.Pixels, float[][]> predictor,
                     ModelManifest.Image image) {
        this.model = model;
        this.predictor = predictor;
        this.image = image;
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

    public static RawTower load(Bundle bundle) throws IOException, MalformedModelException {
        ModelManifest manifest = bundle.manifest();
        ai.djl.Model model = ai.djl.Model.newInstance(manifest.name(), Device.cpu(), "PyTorch");
        try {
            model.load(bundle.dir(), manifest.torchscript().file());
            return new RawTower(model, model.newPredictor(
                    new ImageTowerTranslator(manifest.torchscript().imageMethod())), manifest.image());
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Packs preprocessed images (CHW each) into one input, outside any timed section. */
    ImageTowerTranslator.Pixels pack(List<float[]> rows) {
        int each = rows.getFirst().length;
        float[] values = new float[rows.size() * each];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r), 0, values, r * each, each);
        }
        return new ImageTowerTranslator.Pixels(values, rows.size(), image.channels(), image.cropSize());
    }

    /** One forward pass of the image tower: one embedding per row, not normalised. */
    float[][] embed(ImageTowerTranslator.Pixels batch) throws TranslateException {
        return predictor.predict(batch);
    }

    /** One image's embedding at batch 1, L2-normalised as the platform returns it: the reference for the api check. */
    public float[] normalisedEmbedding(float[] pixels) throws TranslateException {
        float[] row = embed(pack(List.of(pixels)))[0];
        double norm = 0;
        for (float v : row) {
            norm += v * (double) v;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < row.length; i++) {
            row[i] *= scale;
        }
        return row;
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}
