package io.montage.bench.soak;

import io.montage.bench.inputs.BenchImage;
import io.montage.bench.inputs.ImageSet;
import io.montage.bench.inputs.ImageSets;
import io.montage.bench.search.FashionMnist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The soak job's items, one JSONL line per index, the same for every run: of each 1,000 consecutive items,
 * {@code cameraPerMille} are camera-size JPEGs (8 Tux Paint stamps upscaled to 1024×768 with noise, JPEG q90,
 * ~136 KB: see {@link ImageSets#camera}), and the rest alternate between a short text and a Fashion-MNIST test image
 * as its 28×28 grey PNG (~300-600 bytes). The images are encoded once; only the lines are made per item, so a
 * million items need no file and no memory beyond the encoded images.
 */
final class SoakMix {

    private static final int CAMERA_WIDTH = 1024;
    private static final int CAMERA_HEIGHT = 768;
    private static final int CAMERA_VARIANTS = 8;

    private final int cameraPerMille;
    private final List<String> small;
    private final List<String> camera;
    private final String cameraDescription;

    private SoakMix(int cameraPerMille, List<String> small, List<String> camera, String cameraDescription) {
        this.cameraPerMille = cameraPerMille;
        this.small = small;
        this.camera = camera;
        this.cameraDescription = cameraDescription;
    }

    /** The Fashion-MNIST test set as PNGs, and the camera JPEGs made from the stamps in {@code referenceImages}. */
    static SoakMix create(int cameraPerMille, Path referenceImages, Path tempDir) throws IOException {
        if (cameraPerMille < 0 || cameraPerMille > 1000) {
            throw new IllegalArgumentException("--camera-per-mille is 0 to 1000, not " + cameraPerMille);
        }
        Base64.Encoder base64 = Base64.getEncoder();
        FashionMnist.Split test = FashionMnist.test();
        List<String> small = new ArrayList<>(test.size());
        for (byte[] pixels : test.pixels()) {
            small.add(base64.encodeToString(FashionMnist.png(pixels)));
        }
        ImageSet cameraSet = ImageSets.camera(ImageSets.small(referenceImages), CAMERA_WIDTH, CAMERA_HEIGHT,
                CAMERA_VARIANTS, tempDir);
        List<String> camera = cameraSet.images().stream().map(BenchImage::bytes).map(base64::encodeToString).toList();
        return new SoakMix(cameraPerMille, small, camera, cameraSet.origin());
    }

    /** Item {@code index} as one line, its newline included. */
    byte[] line(long index) {
        String id = String.format(Locale.ROOT, "s-%07d", index);
        long slot = index % 1000;
        String line;
        if (slot < cameraPerMille) {
            line = "{\"custom_id\":\"" + id + "\",\"image\":\"" + camera.get((int) (index % camera.size())) + "\"}\n";
        } else if (slot % 2 == 0) {
            line = "{\"custom_id\":\"" + id + "\",\"text\":\"" + text(index) + "\"}\n";
        } else {
            line = "{\"custom_id\":\"" + id + "\",\"image\":\"" + small.get((int) (index % small.size())) + "\"}\n";
        }
        return line.getBytes(StandardCharsets.UTF_8);
    }

    /** A short product text that differs from item to item, as a catalogue's would. */
    private static String text(long index) {
        String label = FashionMnist.CLASSES.get((int) (index % FashionMnist.CLASSES.size()));
        return "a photo of a " + label + ", catalogue item " + index;
    }

    String describe() {
        double camera = cameraPerMille / 10.0;
        double half = (100 - camera) / 2;
        return String.format(Locale.ROOT, "%.2f %% short texts (\"a photo of a <class>, catalogue item N\"), "
                + "%.2f %% Fashion-MNIST test images (28×28 grey PNG, %,d distinct), %.1f %% camera-size JPEGs (%s)",
                half, half, small.size(), camera, cameraDescription);
    }
}
