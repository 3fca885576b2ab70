package io.montage.bench.bulk;

import io.montage.bench.search.FashionMnist;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The images a bulk job embeds, as encoded files (what a client uploads):
 * <ul>
 * <li>{@code fmnist}: the first N Fashion-MNIST test images as 28×28 grey PNGs (~300-600 bytes) — the demo model's
 * own domain; decoding and preprocessing are nearly free, so the platform's per-item overhead shows;</li>
 * <li>{@code stamps}: the demo bundle's Tux Paint stamp photos upscaled to 224×224 (bicubic, random 0-10 % crop
 * jitter, light noise so JPEG has texture to code) and saved as JPEG q90 (~10-20 KB) — 48 distinct files cycled to
 * N. The model still takes 28×28 grey, so the worker decodes a 224-px JPEG and resizes it: more per-item work
 * before the model, as with real uploads.</li>
 * </ul>
 */
final class BulkImages {

    private static final int STAMP_VARIANTS = 48;
    private static final int STAMP_SIDE = 224;

    record Set(String name, String description, List<byte[]> images) {
        long bytes() {
            return images.stream().mapToLong(b -> b.length).sum();
        }
    }

    private BulkImages() {
    }

    static Set of(String name, int count, Path referenceImages) throws IOException {
        return switch (name) {
            case "fmnist" -> fmnist(count);
            case "stamps" -> stamps(count, referenceImages);
            default -> throw new IllegalArgumentException("--set is fmnist or stamps, not " + name);
        };
    }

    private static Set fmnist(int count) throws IOException {
        FashionMnist.Split test = FashionMnist.test();
        List<byte[]> images = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            images.add(FashionMnist.png(test.pixels()[i % test.size()]));
        }
        return new Set("fmnist", count + " Fashion-MNIST test images, 28×28 grey PNG", images);
    }

    private static Set stamps(int count, Path dir) throws IOException {
        List<BufferedImage> sources = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("tuxpaint_")).sorted().toList()) {
                BufferedImage image = ImageIO.read(file.toFile());
                if (image != null) {
                    sources.add(image);
                }
            }
        }
        if (sources.isEmpty()) {
            throw new IOException("no tuxpaint_* images in " + dir);
        }
        Random random = new Random(7); // the same files every run
        List<byte[]> distinct = new ArrayList<>();
        for (int v = 0; v < STAMP_VARIANTS; v++) {
            distinct.add(jpeg(jitter(sources.get(v % sources.size()), random)));
        }
        List<byte[]> images = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            images.add(distinct.get(i % distinct.size()));
        }
        return new Set("stamps", count + " JPEGs (q90, " + STAMP_SIDE + "×" + STAMP_SIDE + ", "
                + distinct.stream().mapToInt(b -> b.length).sum() / distinct.size() / 1024 + " KB on average): "
                + STAMP_VARIANTS + " variants of the " + sources.size() + " Tux Paint stamps in " + dir.getFileName()
                + " (upscaled bicubic, crop jitter, noise σ=4), cycled", images);
    }

    /** Upscaled to cover STAMP_SIDE² after cropping 0-10 % off random sides; transparency becomes white. */
    private static BufferedImage jitter(BufferedImage source, Random random) {
        int w = source.getWidth();
        int h = source.getHeight();
        int x0 = (int) (random.nextDouble() * 0.1 * w);
        int y0 = (int) (random.nextDouble() * 0.1 * h);
        int x1 = w - (int) (random.nextDouble() * 0.1 * w);
        int y1 = h - (int) (random.nextDouble() * 0.1 * h);
        BufferedImage out = new BufferedImage(STAMP_SIDE, STAMP_SIDE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, STAMP_SIDE, STAMP_SIDE);
            g.drawImage(source, 0, 0, STAMP_SIDE, STAMP_SIDE, x0, y0, x1, y1, null);
        } finally {
            g.dispose();
        }
        for (int y = 0; y < STAMP_SIDE; y++) {
            for (int x = 0; x < STAMP_SIDE; x++) {
                int rgb = out.getRGB(x, y);
                int r = noisy((rgb >> 16) & 0xFF, random);
                int gr = noisy((rgb >> 8) & 0xFF, random);
                int b = noisy(rgb & 0xFF, random);
                out.setRGB(x, y, (r << 16) | (gr << 8) | b);
            }
        }
        return out;
    }

    private static int noisy(int value, Random random) {
        return Math.max(0, Math.min(255, value + (int) Math.round(random.nextGaussian() * 4)));
    }

    private static byte[] jpeg(BufferedImage image) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.9f);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** {"custom_id":"i-000000","image":"<base64>"} per line; returns the file's size in bytes. */
    static long writeJsonl(Set set, int from, int count, Path file) throws IOException {
        Base64.Encoder base64 = Base64.getEncoder();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = from; i < from + count; i++) {
                out.write(String.format(Locale.ROOT, "{\"custom_id\":\"i-%06d\",\"image\":\"", i));
                out.write(base64.encodeToString(set.images().get(i % set.images().size())));
                out.write("\"}\n");
            }
        }
        return Files.size(file);
    }
}
