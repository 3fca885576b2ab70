package io.montage.worker.images;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * What Montage reads from a WebP's RIFF structure itself: whether the file is complete (the lossless decoder
 * returns what it has when the data ends early, where PIL refuses the file), and the file without its ICC profile
 * (TwelveMonkeys' reader converts to sRGB through it, where PIL ignores it).
 */
final class WebpChunks {

    private static final int RIFF_HEADER = 12; // "RIFF", the length of what follows, "WEBP"
    private static final int CHUNK_HEADER = 8; // FourCC, payload length
    private static final int ICC_FLAG = 0x20; // in the first byte of the VP8X chunk's payload

    private WebpChunks() {
    }

    /** Whether the data is as long as its RIFF header says. */
    static boolean isComplete(byte[] webp) {
        return webp.length >= RIFF_HEADER && u32(webp, 4) + 8 <= webp.length;
    }

    /** The file without ICCP chunks and with the VP8X header no longer announcing one; itself if it has none. */
    static byte[] withoutIccProfile(byte[] webp) {
        if (!isComplete(webp) || findChunk(webp, "ICCP") < 0) {
            return webp;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(webp.length);
        out.write(webp, 0, RIFF_HEADER);
        for (int pos = RIFF_HEADER; pos <= webp.length - CHUNK_HEADER; pos = next(webp, pos)) {
            int end = Math.min(next(webp, pos), webp.length);
            if (is(webp, pos, "VP8X") && pos + CHUNK_HEADER < end) {
                byte[] chunk = Arrays.copyOfRange(webp, pos, end);
                chunk[CHUNK_HEADER] &= (byte) ~ICC_FLAG;
                out.writeBytes(chunk);
            } else if (!is(webp, pos, "ICCP")) {
                out.write(webp, pos, end - pos);
            }
        }
        byte[] stripped = out.toByteArray();
        int riffLength = stripped.length - 8;
        for (int i = 0; i < 4; i++) {
            stripped[4 + i] = (byte) (riffLength >>> (8 * i));
        }
        return stripped;
    }

    private static int findChunk(byte[] webp, String fourCc) {
        for (int pos = RIFF_HEADER; pos <= webp.length - CHUNK_HEADER; pos = next(webp, pos)) {
            if (is(webp, pos, fourCc)) {
                return pos;
            }
        }
        return -1;
    }

    /** Where the chunk after the one at {@code pos} starts: payloads are padded to an even length. */
    private static int next(byte[] webp, int pos) {
        long length = u32(webp, pos + 4);
        return (int) Math.min(pos + CHUNK_HEADER + length + (length & 1), Integer.MAX_VALUE);
    }

    private static boolean is(byte[] webp, int pos, String fourCc) {
        for (int i = 0; i < 4; i++) {
            if (webp[pos + i] != fourCc.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static long u32(byte[] data, int at) {
        return (data[at] & 0xFFL) | (data[at + 1] & 0xFFL) << 8 | (data[at + 2] & 0xFFL) << 16
                | (data[at + 3] & 0xFFL) << 24;
    }
}
