package io.montage.bench.soak;

import java.io.InputStream;

/** Items {@code from} to {@code to} (exclusive) of a {@link SoakMix} as a JSONL upload body, made as it is read. */
final class JsonlStream extends InputStream {

    private final SoakMix mix;
    private final long to;
    private long next;
    private byte[] line = new byte[0];
    private int position;

    JsonlStream(SoakMix mix, long from, long to) {
        this.mix = mix;
        this.next = from;
        this.to = to;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        int copied = 0;
        while (copied < length) {
            if (position == line.length) {
                if (next == to) {
                    break;
                }
                line = mix.line(next++);
                position = 0;
            }
            int n = Math.min(length - copied, line.length - position);
            System.arraycopy(line, position, buffer, offset + copied, n);
            position += n;
            copied += n;
        }
        return copied == 0 ? -1 : copied;
    }
}
