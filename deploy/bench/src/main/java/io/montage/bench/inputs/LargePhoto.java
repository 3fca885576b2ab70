package io.montage.bench.inputs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes one camera-size JPEG of at least the given size, for end-to-end checks that a photo near the image limit
 * embeds synchronously. There is no camera photo corpus here: a real photo (a Tux Paint stamp from the demo
 * bundle's reference set) is upscaled with camera-like noise, growing until the file is large enough.
 *
 * <pre>java -cp … io.montage.bench.inputs.LargePhoto SOURCE.jpg|png OUT.jpg MIN_BYTES</pre>
 */
public final class LargePhoto {

    private static final float QUALITY = 1.0f;
    /** Well under the worker's decode limit (montage.images.max-pixels, 40 MP). */
    private static final long MAX_PIXELS = 30_000_000L;

    private LargePhoto() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: LargePhoto SOURCE OUT.jpg MIN_BYTES");
            System.exit(2);
        }
        Path source = Path.of(args[0]);
        long minBytes = Long.parseLong(args[2]);
        BenchImage photo = new BenchImage(source.getFileName().toString(), Files.readAllBytes(source), "image/jpeg");
        int width = 4800;
        int height = 3600;
        byte[] jpeg = ImageSets.cameraJpeg(photo, width, height, QUALITY, new Random(42));
        while (jpeg.length < minBytes) {
            width = width * 6 / 5;
            height = height * 6 / 5;
            if ((long) width * height > MAX_PIXELS) {
                throw new IllegalStateException("cannot reach " + minBytes + " bytes under " + MAX_PIXELS + " pixels");
            }
            jpeg = ImageSets.cameraJpeg(photo, width, height, QUALITY, new Random(42));
        }
        Files.write(Path.of(args[1]), jpeg);
        System.out.println(width + "x" + height + " " + jpeg.length + " bytes: " + source.getFileName()
                + " upscaled (bicubic) with Gaussian noise, JPEG q" + Math.round(QUALITY * 100));
    }
}
