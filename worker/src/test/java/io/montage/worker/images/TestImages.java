package io.montage.worker.images;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.GZIPInputStream;

/**
 * The test images under src/test/resources/images and the PIL references that make_pil_references.py made from
 * them (listed in pil/index.json).
 */
final class TestImages {

    /** libjpeg-turbo for JPEGs, as in production: the PIL references hold it to Pillow's pixels. */
    static final ImageDecoder DECODER = new ImageDecoder(new ImageLimits(20 << 20, 40_000_000),
            new JpegDecoding(JpegDecoding.Choice.NATIVE));

    private TestImages() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = TestImages.class.getResourceAsStream("/images/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test image " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DecodedImage decoded(String name) {
        return DECODER.decode(bytes(name));
    }

    static JsonNode index() {
        try {
            return JsonMapper.createDefault().readValue(bytes("pil/index.json"), JsonNode.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A reference PNG (8-bit L or RGB) as planes, read straight from its raster. */
    static Pixels reference(String file) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes("pil/" + file)));
            Raster raster = image.getRaster();
            int width = raster.getWidth();
            int height = raster.getHeight();
            byte[][] planes = new byte[raster.getNumBands()][width * height];
            int[] samples = new int[width * height];
            for (int c = 0; c < planes.length; c++) {
                raster.getSamples(0, 0, width, height, c, samples);
                for (int i = 0; i < samples.length; i++) {
                    planes[c][i] = (byte) samples[i];
                }
            }
            return new Pixels(width, height, planes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A gzipped float32 little-endian tensor. */
    static float[] tensor(String file) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes("pil/" + file)))) {
            ByteBuffer buffer = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            float[] tensor = new float[buffer.remaining() / Float.BYTES];
            buffer.asFloatBuffer().get(tensor);
            return tensor;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Planes of 8-bit samples, compared sample by sample. */
    record Pixels(int width, int height, byte[][] planes) {

        static Pixels of(DecodedImage image) {
            return of(image, image.channels());
        }

        /** As {@code channels} planes: a grey image's one plane repeated, as PIL's RGB of a grey image has it. */
        static Pixels of(DecodedImage image, int channels) {
            int step = image.channels();
            byte[] samples = image.samples();
            byte[][] planes = new byte[channels][image.width() * image.height()];
            for (int c = 0; c < channels; c++) {
                for (int i = 0, from = step == 1 ? 0 : c; i < planes[c].length; i++, from += step) {
                    planes[c][i] = samples[from];
                }
            }
            return new Pixels(image.width(), image.height(), planes);
        }

        /** The largest and the mean absolute difference over all samples; null when the shapes differ. */
        Difference differenceFrom(Pixels other) {
            if (width != other.width || height != other.height || planes.length != other.planes.length) {
                return null;
            }
            int max = 0;
            long sum = 0;
            for (int c = 0; c < planes.length; c++) {
                for (int i = 0; i < planes[c].length; i++) {
                    int d = Math.abs((planes[c][i] & 0xFF) - (other.planes[c][i] & 0xFF));
                    max = Math.max(max, d);
                    sum += d;
                }
            }
            return new Difference(max, (double) sum / ((long) planes.length * width * height));
        }

        String shape() {
            return width + "×" + height + "×" + planes.length;
        }
    }

    record Difference(int max, double mean) {

        @Override
        public String toString() {
            return String.format("max %d, mean %.4f", max, mean);
        }
    }
}
