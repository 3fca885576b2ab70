package io.montage.worker.images;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What Montage reads from a JPEG's structure itself rather than through ImageIO: the EXIF orientation (ImageIO
 * ignores it), whether the file is complete (ImageIO decodes a truncated JPEG with a mere warning and grey rows,
 * where PIL refuses it), and the file without its ICC profile (ImageIO converts to sRGB through it, where PIL
 * ignores it). Malformed structure is never an error here: the decoder judges the pixels.
 */
final class JpegSegments {

    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOS = 0xDA;
    private static final int APP1 = 0xE1;
    private static final int APP2 = 0xE2;
    private static final int TEM = 0x01;
    private static final int RST0 = 0xD0;
    private static final int RST7 = 0xD7;
    private static final byte[] EXIF_HEADER = {'E', 'x', 'i', 'f', 0, 0};
    private static final byte[] ICC_HEADER = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);
    private static final int ORIENTATION_TAG = 0x0112;
    private static final int TIFF_SHORT = 3;

    private JpegSegments() {
    }

    /**
     * The orientation tag (1–8) of IFD0 in the first APP1 Exif segment, as PIL's exif_transpose reads it;
     * 1 (as stored) when there is none or it is unreadable.
     */
    static int exifOrientation(byte[] jpeg) {
        for (int pos = firstSegment(jpeg); pos >= 0; pos = nextSegment(jpeg, pos)) {
            int marker = jpeg[pos + 1] & 0xFF;
            if (marker == SOS) {
                break; // metadata comes before the image data
            }
            int start = pos + 4;
            int end = pos + 2 + u16(jpeg, pos + 2, false);
            if (marker == APP1 && startsWith(jpeg, start, end, EXIF_HEADER)) {
                return tiffOrientation(jpeg, start + EXIF_HEADER.length, end);
            }
        }
        return 1;
    }

    /**
     * Whether an end-of-image marker follows the first scan. In entropy-coded data every 0xFF byte is followed
     * by 0x00 or a restart marker, so FF D9 there can only be the real end.
     */
    static boolean endsAfterScan(byte[] jpeg) {
        for (int pos = firstSegment(jpeg); pos >= 0; pos = nextSegment(jpeg, pos)) {
            if ((jpeg[pos + 1] & 0xFF) == SOS) {
                for (int i = pos + 2 + u16(jpeg, pos + 2, false); i + 1 < jpeg.length; i++) {
                    if (jpeg[i] == (byte) 0xFF && jpeg[i + 1] == (byte) EOI) {
                        return true;
                    }
                }
                return false;
            }
        }
        return false;
    }

    /** The file without its APP2 ICC_PROFILE segments; itself if it has none. */
    static byte[] withoutIccProfiles(byte[] jpeg) {
        ByteArrayOutputStream stripped = null;
        int copied = 0;
        for (int pos = firstSegment(jpeg); pos >= 0; pos = nextSegment(jpeg, pos)) {
            int marker = jpeg[pos + 1] & 0xFF;
            if (marker == SOS) {
                break;
            }
            int end = pos + 2 + u16(jpeg, pos + 2, false);
            if (marker == APP2 && startsWith(jpeg, pos + 4, end, ICC_HEADER)) {
                if (stripped == null) {
                    stripped = new ByteArrayOutputStream(jpeg.length);
                }
                stripped.write(jpeg, copied, pos - copied);
                copied = end;
            }
        }
        if (stripped == null) {
            return jpeg;
        }
        stripped.write(jpeg, copied, jpeg.length - copied);
        return stripped.toByteArray();
    }

    /** Whether the data starts as a JPEG does: start of image, then a marker (as ImageIO's JPEG readers check). */
    static boolean isJpeg(byte[] data) {
        return data.length >= 3 && data[0] == (byte) 0xFF && (data[1] & 0xFF) == SOI && data[2] == (byte) 0xFF;
    }

    /** The offset of the first segment's marker after SOI, or -1 when this is not a JPEG. */
    private static int firstSegment(byte[] jpeg) {
        boolean jpegStart = jpeg.length >= 4 && jpeg[0] == (byte) 0xFF && (jpeg[1] & 0xFF) == SOI;
        return jpegStart ? markerAt(jpeg, 2) : -1;
    }

    /** The offset of the marker after the segment at {@code pos}, or -1 at the end of the usable structure. */
    private static int nextSegment(byte[] jpeg, int pos) {
        int marker = jpeg[pos + 1] & 0xFF;
        boolean standalone = marker == TEM || (marker >= RST0 && marker <= RST7);
        if (marker == EOI) {
            return -1;
        }
        return markerAt(jpeg, standalone ? pos + 2 : pos + 2 + u16(jpeg, pos + 2, false));
    }

    /**
     * {@code pos} itself if a marker with a readable length starts there, after any 0xFF fill bytes; else -1.
     */
    private static int markerAt(byte[] jpeg, int pos) {
        while (pos + 1 < jpeg.length && jpeg[pos] == (byte) 0xFF && jpeg[pos + 1] == (byte) 0xFF) {
            pos++;
        }
        return pos + 3 < jpeg.length && jpeg[pos] == (byte) 0xFF ? pos : -1;
    }

    /** The orientation in the TIFF structure at {@code [start, end)}: header, IFD0, 12-byte entries. */
    private static int tiffOrientation(byte[] data, int start, int end) {
        if (end > data.length || end - start < 8) {
            return 1;
        }
        boolean littleEndian;
        if (data[start] == 'I' && data[start + 1] == 'I') {
            littleEndian = true;
        } else if (data[start] == 'M' && data[start + 1] == 'M') {
            littleEndian = false;
        } else {
            return 1;
        }
        long ifd = start + u32(data, start + 4, littleEndian);
        if (ifd + 2 > end) {
            return 1;
        }
        int entries = u16(data, (int) ifd, littleEndian);
        for (int i = 0; i < entries; i++) {
            int entry = (int) ifd + 2 + 12 * i;
            if (entry + 12 > end) {
                return 1;
            }
            if (u16(data, entry, littleEndian) == ORIENTATION_TAG) {
                int value = u16(data, entry + 8, littleEndian);
                boolean valid = u16(data, entry + 2, littleEndian) == TIFF_SHORT && value >= 1 && value <= 8;
                return valid ? value : 1;
            }
        }
        return 1;
    }

    private static boolean startsWith(byte[] data, int start, int end, byte[] prefix) {
        if (end > data.length || end - start < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[start + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int u16(byte[] data, int at, boolean littleEndian) {
        int first = data[at] & 0xFF;
        int second = data[at + 1] & 0xFF;
        return littleEndian ? first | second << 8 : first << 8 | second;
    }

    private static long u32(byte[] data, int at, boolean littleEndian) {
        long first = u16(data, at, littleEndian);
        long second = u16(data, at + 2, littleEndian);
        return littleEndian ? first | second << 16 : first << 16 | second;
    }
}
