package io.montage.bench.raw;

import io.montage.bench.Latencies;
import io.montage.bench.inputs.BenchImage;
import io.montage.bench.inputs.ImageSet;
import io.montage.worker.images.DecodedImage;
import io.montage.worker.images.ImageDecoder;
import io.montage.worker.images.ImageLimits;
import io.montage.worker.images.ImagePreprocessor;
import io.montage.models.ModelManifest;

import java.util.ArrayList;
import java.util.List;

/**
 * An image set decoded and preprocessed by the worker's own classes (so the raw tower sees the platform's exact
 * tensors), and what that cost per image on one thread: the part of the api path that runs before the model.
 *
 * @param pixels     one CHW tensor per image, in the set's order
 * @param decodeMs   per image and pass: bytes to pixels (ImageDecoder)
 * @param preprocessMs per image and pass: pixels to tensor (ImagePreprocessor: convert, resize, crop, normalise)
 */
public record Preprocessed(ImageSet set, List<float[]> pixels, Latencies decodeMs, Latencies preprocessMs) {

    /** The worker's default limits (montage.images.*): 20 MB, 40 megapixels. */
    private static final ImageLimits LIMITS = new ImageLimits(20 * 1024 * 1024, 40_000_000L);

    /** Runs {@code passes} timed passes over the set after one untimed pass (the JIT's). */
    public static Preprocessed of(ImageSet set, ModelManifest.Image spec, int passes) {
        ImageDecoder decoder = new ImageDecoder(LIMITS);
        ImagePreprocessor preprocessor = new ImagePreprocessor(spec);
        List<float[]> pixels = new ArrayList<>();
        for (BenchImage image : set.images()) {
            pixels.add(preprocessor.preprocess(decoder.decode(image.bytes())));
        }
        List<Double> decode = new ArrayList<>();
        List<Double> preprocess = new ArrayList<>();
        for (int pass = 0; pass < passes; pass++) {
            for (BenchImage image : set.images()) {
                long start = System.nanoTime();
                DecodedImage decoded = decoder.decode(image.bytes());
                long decodedAt = System.nanoTime();
                preprocessor.preprocess(decoded);
                long end = System.nanoTime();
                decode.add((decodedAt - start) / 1e6);
                preprocess.add((end - decodedAt) / 1e6);
            }
        }
        return new Preprocessed(set, List.copyOf(pixels), new Latencies(decode), new Latencies(preprocess));
    }
}
