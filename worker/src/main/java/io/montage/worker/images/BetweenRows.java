package io.montage.worker.images;

import java.util.Arrays;

/**
 * The rows between the two passes of {@link PilResize}'s convolution, as ints: the horizontal pass's output rows
 * (rounded and clipped to 8 bits, as PIL keeps them), or the input's own when the width does not change. Only the
 * last few are kept, each made when first asked for: the vertical pass asks for rows in increasing order, at most
 * {@code kept} at a time, so each row is made once and the working set stays in the cache. A colour image being
 * resized as PIL's {@code convert("L")} of it is converted here, a row at a time, only where the pass reads.
 */
final class BetweenRows {

    private final byte[] samples;
    private final int width;
    private final int inChannels;
    private final boolean luma;
    private final int outChannels;
    /** Null when the width does not change. */
    private final ConvolutionWeights columns;
    private final int left;
    private final int count;
    private final int[][] rows;
    private final int[] held;
    /** A grey row's input pixels that the horizontal pass reads, as ints (it has no use for them otherwise). */
    private final int[] source;

    /**
     * The rows for output columns {@code [left, left + count)}: resampled across with {@code columns}, or, when it
     * is null, the input's own columns.
     */
    BetweenRows(DecodedImage image, boolean luma, ConvolutionWeights columns, int left, int count, int kept) {
        samples = image.samples();
        width = image.width();
        inChannels = image.channels();
        this.luma = luma && inChannels == 3;
        outChannels = luma ? 1 : inChannels;
        this.columns = columns;
        this.left = left;
        this.count = count;
        rows = new int[kept][count * outChannels];
        held = new int[kept];
        Arrays.fill(held, -1);
        source = columns != null && outChannels == 1 ? new int[columns.reach() - columns.start(0)] : null;
    }

    /** Samples in a row: the output columns times their channels. */
    int rowLength() {
        return count * outChannels;
    }

    /** Input row {@code y} after the horizontal pass, all channels interleaved. */
    int[] row(int y) {
        int slot = y % rows.length;
        int[] row = rows[slot];
        if (held[slot] != y) {
            if (columns == null) {
                read(y, left, count, row);
            } else if (outChannels == 3) {
                columns.resampleRgbRow(samples, y * width * 3, row);
            } else {
                read(y, columns.start(0), source.length, source);
                columns.resampleRow(source, columns.start(0), row);
            }
            held[slot] = y;
        }
        return row;
    }

    /** Row {@code y}'s pixels {@code [from, from + pixels)} as the output's channels: as stored, or their luma. */
    private void read(int y, int from, int pixels, int[] into) {
        int at = (y * width + from) * inChannels;
        if (luma) {
            for (int x = 0; x < pixels; x++, at += 3) {
                into[x] = PilConvert.luma(samples[at], samples[at + 1], samples[at + 2]);
            }
            return;
        }
        for (int i = 0, n = pixels * inChannels; i < n; i++, at++) {
            into[i] = samples[at] & 0xFF;
        }
    }
}
