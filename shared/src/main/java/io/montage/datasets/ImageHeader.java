package io.montage.datasets;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;

/**
 * An image's format and size, read from its header only: shared has no decoder (the worker's is in the worker),
 * and a dataset entry must be refused at import rather than fail later in an evaluation. The format comes from
 * the magic bytes (PNG, JPEG, GIF, BMP, WebP: what the worker decodes); the size from the JDK's ImageIO readers,
 * which parse the header without decoding pixels, except for WebP, which the JDK cannot read: its RIFF chunk
 * header (VP8, VP8L or VP8X) is read here, as the WebP container specification lays it out. A header that parses
 * is not proof that every pixel decodes; a truncated body fails in the evaluation, for that entry alone.
 *
 * @param format the column value: png, jpeg, gif, bmp, webp
 */
record ImageHeader(String format, int width, int height) {

    /** The header of {@code image}, or an {@link IllegalArgumentException} saying why it is not an image. */
    static ImageHeader read(byte[] image) {
        String format = format(image);
        if (format == null) {
            throw new IllegalArgumentException("not a PNG, JPEG, GIF, BMP or WebP image (its first bytes are none "
                    + "of theirs)");
        }
        int[] size = format.equals("webp") ? webpSize(image) : imageIoSize(format, image);
        if (size == null || size[0] <= 0 || size[1] <= 0) {
            throw new IllegalArgumentException("a " + format.toUpperCase() + " image whose header does not read");
        }
        return new ImageHeader(format, size[0], size[1]);
    }

    /** The format its magic bytes say (the column value), or null for none of them. */
    static String format(byte[] b) {
        if (starts(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "png";
        }
        if (starts(b, 0xFF, 0xD8, 0xFF)) {
            return "jpeg";
        }
        if (starts(b, 'G', 'I', 'F', '8') && b.length > 5 && (b[4] == '7' || b[4] == '9') && b[5] == 'a') {
            return "gif";
        }
        if (starts(b, 'B', 'M')) {
            return "bmp";
        }
        if (starts(b, 'R', 'I', 'F', 'F') && b.length >= 12 && b[8] == 'W' && b[9] == 'E' && b[10] == 'B'
                && b[11] == 'P') {
            return "webp";
        }
        return null;
    }

    private static boolean starts(byte[] b, int... magic) {
        if (b.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static int[] imageIoSize(String format, byte[] image) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        if (!readers.hasNext()) {
            return null;
        }
        ImageReader reader = readers.next();
        // in memory: ImageIO's default stream would cache to a temporary file per image
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(image))) {
            reader.setInput(in, true, true);
            return new int[]{reader.getWidth(0), reader.getHeight(0)};
        } catch (IOException | RuntimeException unreadable) {
            return null;
        } finally {
            reader.dispose();
        }
    }

    /** The canvas size of a WebP: the first chunk, at byte 12, is VP8X (extended), VP8L (lossless) or VP8 (lossy). */
    private static int[] webpSize(byte[] b) {
        if (b.length < 30) {
            return null;
        }
        String chunk = new String(b, 12, 4, java.nio.charset.StandardCharsets.US_ASCII);
        return switch (chunk) {
            case "VP8X" -> new int[]{1 + u24(b, 24), 1 + u24(b, 27)};
            case "VP8L" -> (b[20] & 0xFF) != 0x2F ? null : new int[]{
                    1 + ((b[21] & 0xFF) | (b[22] & 0x3F) << 8),
                    1 + ((b[22] & 0xFF) >> 6 | (b[23] & 0xFF) << 2 | (b[24] & 0x0F) << 10)};
            case "VP8 " -> (b[23] & 0xFF) != 0x9D || (b[24] & 0xFF) != 0x01 || (b[25] & 0xFF) != 0x2A ? null
                    : new int[]{((b[26] & 0xFF) | (b[27] & 0xFF) << 8) & 0x3FFF,
                    ((b[28] & 0xFF) | (b[29] & 0xFF) << 8) & 0x3FFF};
            default -> null;
        };
    }

    private static int u24(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16;
    }
}
