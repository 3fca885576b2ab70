package io.montage.api.jobs;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * An upload as the zip reader reads it, keeping its last bytes, to tell a complete archive from a cut one: a zip
 * ends with its end-of-central-directory record (and that record's comment). The streaming reader cannot tell on
 * its own: an archive cut between two entries reads as a shorter, valid one, and would become a partial job.
 */
final class ZipTail extends FilterInputStream {

    private static final int END_RECORD_BYTES = 22;
    private static final int MAX_COMMENT_BYTES = 0xFFFF;
    private static final int END_SIGNATURE = 0x06054b50;

    private final byte[] ring = new byte[END_RECORD_BYTES + MAX_COMMENT_BYTES];
    private long total;

    ZipTail(InputStream upload) {
        super(upload);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            ring[(int) (total++ % ring.length)] = (byte) b;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            keep(buffer, offset, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        return skipThroughRead(n);
    }

    /** Reads what the zip reader left unread; then whether the upload ends with an end record and its comment. */
    boolean complete() throws IOException {
        transferTo(OutputStream.nullOutputStream());
        byte[] tail = tail();
        for (int at = tail.length - END_RECORD_BYTES; at >= 0; at--) {
            if (int32(tail, at) == END_SIGNATURE && at + END_RECORD_BYTES + int16(tail, at + 20) == tail.length) {
                return true;
            }
        }
        return false;
    }

    /** Skips through {@link #read}, so that skipped bytes are kept too. */
    private long skipThroughRead(long n) throws IOException {
        byte[] buffer = new byte[8192];
        long skipped = 0;
        int read;
        while (skipped < n && (read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped))) > 0) {
            skipped += read;
        }
        return skipped;
    }

    /** Copies the last bytes read into the ring (only its length of them can matter). */
    private void keep(byte[] buffer, int offset, int n) {
        int kept = Math.min(n, ring.length);
        int from = offset + n - kept;
        int at = (int) ((total + n - kept) % ring.length);
        int first = Math.min(kept, ring.length - at);
        System.arraycopy(buffer, from, ring, at, first);
        System.arraycopy(buffer, from + first, ring, 0, kept - first);
        total += n;
    }

    private byte[] tail() {
        int length = (int) Math.min(total, ring.length);
        byte[] tail = new byte[length];
        for (int i = 0; i < length; i++) {
            tail[i] = ring[(int) ((total - length + i) % ring.length)];
        }
        return tail;
    }

    private static int int16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static int int32(byte[] b, int at) {
        return int16(b, at) | int16(b, at + 2) << 16;
    }
}
