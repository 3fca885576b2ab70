package io.montage.worker.images;

import io.micronaut.core.convert.ConversionService;
import io.montage.testing.SharedContext;
import io.montage.worker.images.JpegDecoding.Choice;
import io.montage.worker.images.TestImages.Pixels;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * libjpeg-turbo against the JDK's decoder, pixel for pixel, on every JPEG the tests have: the committed ones, the
 * demo bundle's reference photos, and camera-size encodings of the test photos in each chroma subsampling, grey
 * and progressive. They are equal everywhere but in 4:4:0, where only libjpeg-turbo has Pillow's pixels
 * (PilParityTest holds the native decoder, which TestImages uses, to PIL's own references, crow-440.jpg among
 * them; the generated JPEGs here matched PIL 9.4 exactly when this test was written, 4:4:0 included). And damaged
 * JPEGs: each one ends as the Java decoder ends it, with the same item error code, never a crash.
 */
class NativeJpegDecoderTest {

    private static final ImageLimits LIMITS = new ImageLimits(20 << 20, 40_000_000);
    private static final ImageDecoder NATIVE = new ImageDecoder(LIMITS, new JpegDecoding(Choice.NATIVE));
    private static final ImageDecoder JAVA = new ImageDecoder(LIMITS, new JpegDecoding(Choice.JAVA));

    @TestFactory
    List<DynamicTest> nativeDecodingIsTheJavaDecodersPixelForPixel() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        jpegs().forEach((name, jpeg) -> tests.add(DynamicTest.dynamicTest(name, () -> {
            Pixels expected = Pixels.of(JAVA.decode(jpeg));
            Pixels actual = Pixels.of(NATIVE.decode(jpeg));
            TestImages.Difference difference = actual.differenceFrom(expected);
            assertNotNull(difference, () -> "shape " + actual.shape() + ", Java's " + expected.shape());
            if (name.contains("440") || name.contains("4:4:0")) {
                // libjpeg-turbo (so Pillow) upsamples 4:4:0 chroma smoothly, libjpeg 6b by repeating rows
                assertTrue(difference.max() > 0, "4:4:0 is upsampled as libjpeg 6b does it, not as Pillow");
            } else {
                assertEquals(0, difference.max(), () -> "differs from the Java decoder by " + difference);
            }
        })));
        return tests;
    }

    /**
     * Truncations, flipped bytes all over the file, and zeroed runs: every outcome (decoded, or the error code) is
     * the Java decoder's, and nothing but an ImageRejectedException escapes.
     */
    @TestFactory
    List<DynamicTest> aDamagedJpegEndsAsWithTheJavaDecoder() {
        byte[] whole = TestImages.bytes("crow-q90.jpg");
        Random random = new Random(20261203);
        Map<String, byte[]> damaged = new LinkedHashMap<>();
        for (int length : new int[]{2, 3, 4, 20, 200, 600, whole.length / 3, whole.length - 3}) {
            damaged.put("cut at " + length, Arrays.copyOf(whole, length));
        }
        for (int i = 0; i < 40; i++) {
            byte[] copy = whole.clone();
            int at = 2 + random.nextInt(copy.length - 2);
            copy[at] = (byte) random.nextInt(256);
            damaged.put("byte " + at + " set to " + (copy[at] & 0xFF), copy);
        }
        for (int i = 0; i < 10; i++) {
            byte[] copy = whole.clone();
            int at = 2 + random.nextInt(copy.length - 66);
            Arrays.fill(copy, at, at + 64, (byte) 0);
            damaged.put("64 bytes zeroed at " + at, copy);
        }
        List<DynamicTest> tests = new ArrayList<>();
        damaged.forEach((name, jpeg) -> tests.add(DynamicTest.dynamicTest(name,
                () -> assertEquals(outcome(JAVA, jpeg), outcome(NATIVE, jpeg)))));
        return tests;
    }

    @Test
    void aJpegDeclaringTooManyPixelsIsRefusedBeforeItsPixelsAreAllocated() throws IOException {
        ImageDecoder small = new ImageDecoder(new ImageLimits(20 << 20, 100_000),
                new JpegDecoding(Choice.NATIVE));
        byte[] camera = jpeg(photo("crow.png", 1024, 768), 2, 2, false);

        ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> small.decode(camera));

        assertEquals(ImageRejectedException.TOO_MANY_PIXELS, e.code());
        assertEquals("the image is 1024×768 = 786432 pixels; at most 100000 are accepted: downscale it first",
                e.getMessage());
    }

    /** As the worker is wired: auto, so libjpeg-turbo here, whose 4:4:0 pixels are Pillow's and not the JDK's. */
    @Test
    void theWorkerDecodesJpegsWithLibjpegTurboByDefault() {
        assertEquals(Choice.AUTO, SharedContext.bean(JpegDecoding.class).jpegDecoder());
        DecodedImage image = SharedContext.bean(ImageDecoder.class).decode(TestImages.bytes("crow-440.jpg"));

        assertEquals(0, Pixels.of(image).differenceFrom(TestImages.reference("crow-440.jpg.RGB.png")).max());
        // the lower-case values the configuration table documents are the ones Micronaut binds
        assertEquals(Optional.of(Choice.JAVA), ConversionService.SHARED.convert("java", Choice.class));
        assertEquals(Optional.of(Choice.NATIVE), ConversionService.SHARED.convert("native", Choice.class));
    }

    /** What decoding ends in: the size decoded, or the error code. */
    private static String outcome(ImageDecoder decoder, byte[] jpeg) {
        try {
            DecodedImage image = decoder.decode(jpeg);
            return image.width() + "×" + image.height() + "×" + image.channels();
        } catch (ImageRejectedException e) {
            return e.code();
        }
    }

    private static Map<String, byte[]> jpegs() throws IOException {
        Map<String, byte[]> jpegs = new LinkedHashMap<>();
        for (Path dir : List.of(Path.of("src/test/resources/images"),
                Path.of("../deploy/models/fashion-clip-mini/reference/images"))) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.sorted().toList()) {
                    if (file.toString().endsWith(".jpg")) {
                        jpegs.put(file.getFileName().toString(), Files.readAllBytes(file));
                    }
                }
            }
        }
        // camera size, odd dimensions (partial MCUs at the edges), each luma sampling ImageIO can write
        BufferedImage crow = photo("crow.png", 1023, 767);
        Map<String, int[]> samplings = new TreeMap<>(Map.of("4:2:0", new int[]{2, 2}, "4:2:2", new int[]{2, 1},
                "4:4:0", new int[]{1, 2}, "4:4:4", new int[]{1, 1}));
        for (var entry : samplings.entrySet()) {
            int[] sampling = entry.getValue();
            String name = "crow 1023×767 " + entry.getKey();
            jpegs.put(name, jpeg(crow, sampling[0], sampling[1], false));
            jpegs.put(name + ", progressive", jpeg(crow, sampling[0], sampling[1], true));
        }
        BufferedImage drake = photo("drake.png", 1024, 768);
        jpegs.put("drake 1024×768", jpeg(drake, 2, 2, false));
        BufferedImage grey = new BufferedImage(801, 599, BufferedImage.TYPE_BYTE_GRAY);
        grey.createGraphics().drawImage(drake, 0, 0, 801, 599, null);
        jpegs.put("drake grey 801×599", jpeg(grey, 1, 1, false));
        jpegs.put("drake grey 801×599, progressive", jpeg(grey, 1, 1, true));
        return jpegs;
    }

    /** A test photo scaled to width×height, with light noise so the JPEG has a camera photo's entropy. */
    private static BufferedImage photo(String name, int width, int height) throws IOException {
        BufferedImage source = ImageIO.read(new ByteArrayInputStream(TestImages.bytes(name)));
        BufferedImage photo = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = photo.createGraphics();
        graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        graphics.drawImage(source, 0, 0, width, height, null);
        graphics.dispose();
        Random noise = new Random(42);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = photo.getRGB(x, y);
                int shift = (int) Math.round(noise.nextGaussian() * 5);
                int r = Math.clamp(((rgb >> 16) & 0xFF) + shift, 0, 255);
                int g = Math.clamp(((rgb >> 8) & 0xFF) + shift, 0, 255);
                int b = Math.clamp((rgb & 0xFF) + shift, 0, 255);
                photo.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return photo;
    }

    /** JPEG q90 with the luma component sampled h×v times the chroma (2×2 is 4:2:0, 1×1 is 4:4:4). */
    private static byte[] jpeg(BufferedImage image, int h, int v, boolean progressive) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.9f);
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image),
                    param);
            String format = metadata.getNativeMetadataFormatName();
            Element tree = (Element) metadata.getAsTree(format);
            NodeList components = tree.getElementsByTagName("componentSpec");
            for (int i = 0; i < components.getLength(); i++) {
                Element component = (Element) components.item(i);
                component.setAttribute("HsamplingFactor", i == 0 ? String.valueOf(h) : "1");
                component.setAttribute("VsamplingFactor", i == 0 ? String.valueOf(v) : "1");
            }
            metadata.setFromTree(format, tree);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
                writer.setOutput(stream);
                writer.write(null, new IIOImage(image, null, metadata), param);
            }
            return out.toByteArray();
        } finally {
            writer.dispose();
        }
    }
}
