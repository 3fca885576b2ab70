package io.montage.bench.inputs;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The images the benchmark uses. There is no large photo corpus on these machines (../shared/docs/datasets.md), so:
 * <ul>
 * <li>{@code small}: the demo bundle's reference photos as they are (Tux Paint stamps, ~180 px RGBA/LA/palette PNGs
 * and two JPEGs; Fashion-MNIST 28×28 grey PNGs) — real photos, but small;</li>
 * <li>{@code camera}: the Tux Paint stamps upscaled to camera size and re-encoded as JPEG, so that decoding and
 * upload cost what a phone photo would. Upscaled images are smooth and would compress far better than real photos,
 * so light noise is added to give the JPEGs camera-like entropy (and size).</li>
 * </ul>
 */
public final class ImageSets {

    private static final float JPEG_QUALITY = 0.9f;
    private static final double NOISE_SIGMA = 5.0;

    private ImageSets() {
    }

    /** Every decodable image file in {@code dir}, sorted by name. */
    public static ImageSet small(Path dir) throws IOException {
        List<BenchImage> images = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String type = BenchImage.mediaTypeOf(file.getFileName().toString());
                if (type != null) {
                    images.add(new BenchImage(file.getFileName().toString(), Files.readAllBytes(file), type));
                }
            }
        }
        return new ImageSet("small", images, images.size() + " real photos from " + dir
                + " as they are (Tux Paint stamps ~180 px, Fashion-MNIST 28×28)");
    }

    /**
     * Up to {@code count} of the colour photos in {@code small} (the Tux Paint stamps), upscaled to cover
     * width×height (bicubic, centre crop), with Gaussian noise σ=5 and saved as JPEG q90 under {@code tempDir}.
     */
    public static ImageSet camera(ImageSet small, int width, int height, int count, Path tempDir) throws IOException {
        Random noise = new Random(42); // the same files every run
        List<BenchImage> images = new ArrayList<>();
        for (BenchImage source : small.images()) {
            if (images.size() == count || !source.name().startsWith("tuxpaint_")) {
                continue;
            }
            String name = "camera_" + source.name().replaceFirst("\\.[a-z]+$", "") + ".jpg";
            byte[] jpeg = cameraJpeg(source, width, height, JPEG_QUALITY, noise);
            Files.write(tempDir.resolve(name), jpeg);
            images.add(new BenchImage(name, jpeg, "image/jpeg"));
        }
        return new ImageSet("camera", images, images.size() + " Tux Paint stamps upscaled (bicubic) to " + width
                + "×" + height + ", Gaussian noise σ=" + NOISE_SIGMA + " added, re-encoded as JPEG q"
                + Math.round(JPEG_QUALITY * 100) + " in " + tempDir + " — synthetic camera-size inputs, not camera photos");
    }

    /** {@code source} upscaled to cover width×height, with camera-like noise, as a JPEG of the given quality. */
    static byte[] cameraJpeg(BenchImage source, int width, int height, float quality, Random noise)
            throws IOException {
        BufferedImage upscaled = cover(ImageIO.read(new ByteArrayInputStream(source.bytes())), width, height);
        addNoise(upscaled, noise);
        return jpeg(upscaled, quality);
    }

    /** Scaled to cover the target and centre-cropped; transparent parts become white, as on a web page. */
    private static BufferedImage cover(BufferedImage source, int width, int height) {
        double scale = Math.max(width / (double) source.getWidth(), height / (double) source.getHeight());
        int scaledWidth = (int) Math.ceil(source.getWidth() * scale);
        int scaledHeight = (int) Math.ceil(source.getHeight() * scale);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.drawImage(source, (width - scaledWidth) / 2, (height - scaledHeight) / 2, scaledWidth, scaledHeight,
                    null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static void addNoise(BufferedImage image, Random random) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = noisy((rgb >> 16) & 0xFF, random);
                int g = noisy((rgb >> 8) & 0xFF, random);
                int b = noisy(rgb & 0xFF, random);
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
    }

    private static int noisy(int value, Random random) {
        return Math.max(0, Math.min(255, value + (int) Math.round(random.nextGaussian() * NOISE_SIGMA)));
    }

    private static byte[] jpeg(BufferedImage image, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
