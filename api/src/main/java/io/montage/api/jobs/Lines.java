package io.montage.api.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The lines of an upload, split on {@code '\n'} as it streams in. Scans a 64 KiB block for the newline and copies
 * whole ranges: reading byte by byte through {@code BufferedInputStream} (synchronised per call) was 42 % of the
 * api's CPU during bulk uploads. A line longer than the limit is skipped up to its end and reported as too long,
 * so one bad line neither exhausts memory nor rejects the file.
 */
final class Lines {

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] block = new byte[1 << 16];
    private int position;
    private int limit;
    private byte[] line = new byte[1 << 12];
    private int length;
    private boolean tooLong;
    private boolean exhausted;

    Lines(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** Reads the next line; false once the upload is exhausted and no bytes remain. */
    boolean next() {
        length = 0;
        tooLong = false;
        boolean any = false;
        while (true) {
            if (position == limit && !fill()) {
                return any;
            }
            any = true;
            int newline = indexOfNewline();
            int end = newline < 0 ? limit : newline;
            append(position, end - position);
            if (newline >= 0) {
                position = newline + 1;
                return true;
            }
            position = limit;
        }
    }

    /** The current line without its newline: the first {@link #length()} bytes of this array, reused by the next. */
    byte[] bytes() {
        return line;
    }

    int length() {
        return length;
    }

    /** Whether the current line holds nothing but JSON whitespace. */
    boolean blank() {
        for (int i = 0; i < length; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** Whether the current line exceeded the limit (its text is then only the first part). */
    boolean tooLong() {
        return tooLong;
    }

    private int indexOfNewline() {
        for (int i = position; i < limit; i++) {
            if (block[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void append(int from, int count) {
        int room = maxLineBytes - length;
        if (count > room) {
            tooLong = true;
            count = room;
        }
        if (count <= 0) {
            return;
        }
        if (length + count > line.length) {
            line = Arrays.copyOf(line, Math.min(maxLineBytes, Math.max(line.length * 2, length + count)));
        }
        System.arraycopy(block, from, line, length, count);
        length += count;
    }

    private boolean fill() {
        if (exhausted) {
            return false;
        }
        try {
            int read;
            do {
                read = in.read(block, 0, block.length);
            } while (read == 0);
            if (read < 0) {
                exhausted = true;
                return false;
            }
            position = 0;
            limit = read;
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("the upload could not be read", e);
        }
    }
}
