package io.montage.worker.images;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Small JPEG previews of collection items, for the console's search results. */
public final class Thumbnails {

    private static final float QUALITY = 0.8f;

    private Thumbnails() {
    }

    /** The image scaled (antialiased, never up) to fit {@code maxSide}², as a JPEG. */
    public static byte[] jpeg(DecodedImage image, int maxSide) {
        double scale = Math.min(1.0, maxSide / (double) Math.max(image.width(), image.height()));
        int width = Math.max(1, (int) Math.round(image.width() * scale));
        int height = Math.max(1, (int) Math.round(image.height() * scale));
        byte[] small = PilResize.resize(image, false, width, height, Resampling.BILINEAR,
                PilResize.Crop.all(width, height));
        return encode(toBufferedImage(small, image.channels(), width, height));
    }

    private static BufferedImage toBufferedImage(byte[] samples, int channels, int width, int height) {
        boolean grey = channels == 1;
        BufferedImage out = new BufferedImage(width, height, grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = (y * width + x) * channels;
                if (grey) {
                    out.getRaster().setSample(x, y, 0, samples[i] & 0xff);
                } else {
                    out.setRGB(x, y, (samples[i] & 0xff) << 16 | (samples[i + 1] & 0xff) << 8 | (samples[i + 2] & 0xff));
                }
            }
        }
        return out;
    }

    private static byte[] encode(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(QUALITY);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
