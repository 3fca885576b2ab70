package io.montage.worker.fetch;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The body of a chunked response (RFC 9112 §7.1) as the bytes it carries. It ends at the last chunk and only
 * there: a connection that closes before it is an error, so a cut-off image is not taken for a whole one.
 */
final class ChunkedInputStream extends InputStream {

    private static final int MAX_LINE = 8 * 1024;
    /** At most 15 hex digits, so the size fits a long. */
    private static final Pattern CHUNK_SIZE = Pattern.compile("\\p{XDigit}{1,15}");

    private final InputStream in;
    private long leftInChunk;
    private boolean afterChunkData;
    private boolean ended;

    ChunkedInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length == 0) {
            return 0;
        }
        if (leftInChunk == 0 && !nextChunk()) {
            return -1;
        }
        int read = in.read(buffer, offset, (int) Math.min(length, leftInChunk));
        if (read == -1) {
            throw new EOFException("the connection closed inside a chunk of the response");
        }
        leftInChunk -= read;
        return read;
    }

    /** Reads up to the next chunk's data; false at the last chunk, once its trailer section is read too. */
    private boolean nextChunk() throws IOException {
        if (ended) {
            return false;
        }
        if (afterChunkData && !HttpLine.read(in, MAX_LINE).isEmpty()) {
            throw new IOException("a chunk of the response is longer than its size says");
        }
        String line = HttpLine.read(in, MAX_LINE);
        int extensions = line.indexOf(';');
        String size = (extensions < 0 ? line : line.substring(0, extensions)).strip();
        if (!CHUNK_SIZE.matcher(size).matches()) {
            throw new IOException("the response has a malformed chunk size line");
        }
        leftInChunk = Long.parseLong(size, 16);
        afterChunkData = true;
        if (leftInChunk == 0) {
            while (!HttpLine.read(in, MAX_LINE).isEmpty()) {
                // trailer fields: nothing Montage needs
            }
            ended = true;
        }
        return !ended;
    }
}
