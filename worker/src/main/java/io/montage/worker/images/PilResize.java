package io.montage.worker.images;

import java.util.Arrays;

/**
 * PIL 9.4's {@code Image.resize} of 8-bit images (modes L and RGB), bit for bit, followed by a crop: only the
 * cropped region's pixels are computed, which gives the same values because every output pixel of a PIL resize
 * depends on its own position alone.
 *
 * <p>BICUBIC and BILINEAR are libImaging's two-pass convolution (ImagingResampleInner): a horizontal pass over just
 * the rows the vertical pass will read, its results rounded and clipped to 8 bits, then the vertical pass; an axis
 * whose size does not change is not resampled at all. NEAREST is what PIL does for it instead,
 * ImagingScaleAffine: sample at the pixel centres, stepping through the source by accumulated doubles. The input
 * and the output are interleaved (a DecodedImage's layout, channel c of pixel i at {@code i · channels + c}): the
 * horizontal pass reads each input pixel's channels together, and the vertical pass sees a row of
 * {@code width · channels} samples as one long row.
 */
final class PilResize {

    private PilResize() {
    }

    /**
     * Resizes the {@code width × height} image of {@code channels} interleaved channels to
     * {@code outWidth × outHeight} and returns the {@code crop} of that, interleaved as the input.
     */
    static byte[] resize(byte[] samples, int channels, int width, int height, int outWidth, int outHeight,
                           Resampling resampling, Crop crop) {
        if (outWidth == width && outHeight == height) {
            // PIL returns a copy when the size does not change
            return region(samples, channels, width, crop.left(), crop.top(), crop.width(), crop.height());
        }
        if (resampling == Resampling.NEAREST) {
            return nearest(samples, channels, width, height, outWidth, outHeight, crop);
        }
        return convolved(samples, channels, width, height, outWidth, outHeight, resampling, crop);
    }

    /** A region of the resized image: columns {@code [left, left + width)}, rows {@code [top, top + height)}. */
    record Crop(int left, int top, int width, int height) {

        static Crop all(int width, int height) {
            return new Crop(0, 0, width, height);
        }
    }

    /** The {@code count} pixels from column {@code left} of {@code rows} rows from {@code top}, all channels. */
    private static byte[] region(byte[] samples, int channels, int width, int left, int top, int count, int rows) {
        int rowLength = count * channels;
        byte[] out = new byte[rowLength * rows];
        for (int y = 0; y < rows; y++) {
            System.arraycopy(samples, ((top + y) * width + left) * channels, out, y * rowLength, rowLength);
        }
        return out;
    }

    private static byte[] convolved(byte[] samples, int channels, int width, int height, int outWidth,
                                    int outHeight, Resampling filter, Crop crop) {
        boolean horizontal = outWidth != width;
        boolean vertical = outHeight != height;
        ConvolutionWeights columns = horizontal
                ? ConvolutionWeights.of(width, outWidth, filter, crop.left(), crop.width()) : null;
        ConvolutionWeights rows = vertical
                ? ConvolutionWeights.of(height, outHeight, filter, crop.top(), crop.height()) : null;
        // the input rows the vertical pass reads (PIL's ybox_first and ybox_last)
        int firstRow = vertical ? rows.start(0) : crop.top();
        int endRow = vertical
                ? rows.start(crop.height() - 1) + rows.taps(crop.height() - 1) : crop.top() + crop.height();
        byte[] between = horizontal
                ? horizontalPass(samples, channels, width, columns, firstRow, endRow)
                : region(samples, channels, width, crop.left(), firstRow, crop.width(), endRow - firstRow);
        return vertical ? verticalPass(between, crop.width() * channels, rows, firstRow, crop.height()) : between;
    }

    /** Input rows {@code [firstRow, endRow)}, resampled across into the columns {@code columns} computes. */
    private static byte[] horizontalPass(byte[] samples, int channels, int width, ConvolutionWeights columns,
                                         int firstRow, int endRow) {
        int outLength = columns.count() * channels;
        byte[] out = new byte[outLength * (endRow - firstRow)];
        for (int y = firstRow; y < endRow; y++) {
            columns.resampleRow(samples, y * width * channels, channels, out, (y - firstRow) * outLength);
        }
        return out;
    }

    /**
     * {@code outHeight} rows resampled down the {@code width} samples of each row of {@code plane} (all channels of
     * its pixels), whose first row is input row {@code firstRow}. Row by row: the sums of a whole output row are accumulated tap by tap, which adds the
     * same integers as PIL's per-pixel loop and lets the JIT vectorise.
     */
    private static byte[] verticalPass(byte[] plane, int width, ConvolutionWeights rows, int firstRow,
                                       int outHeight) {
        byte[] out = new byte[width * outHeight];
        int[] sums = new int[width];
        for (int y = 0; y < outHeight; y++) {
            Arrays.fill(sums, ConvolutionWeights.ROUNDING);
            for (int tap = 0, taps = rows.taps(y); tap < taps; tap++) {
                int weight = rows.weight(y, tap);
                int from = (rows.start(y) - firstRow + tap) * width;
                for (int x = 0; x < width; x++) {
                    sums[x] += (plane[from + x] & 0xFF) * weight;
                }
            }
            for (int x = 0, at = y * width; x < width; x++) {
                out[at + x] = (byte) ConvolutionWeights.clip8(sums[x]);
            }
        }
        return out;
    }

    private static byte[] nearest(byte[] samples, int channels, int width, int height, int outWidth, int outHeight,
                                  Crop crop) {
        int[] columns = nearestSources(width, outWidth, crop.left(), crop.width());
        int[] rows = nearestSources(height, outHeight, crop.top(), crop.height());
        byte[] sampled = new byte[crop.width() * crop.height() * channels];
        for (int y = 0, at = 0; y < rows.length; y++) {
            for (int x = 0; x < columns.length; x++) {
                // PIL fills positions that fall outside the source with 0; exact arithmetic never gets there
                boolean inside = rows[y] >= 0 && columns[x] >= 0;
                for (int c = 0, from = (rows[y] * width + columns[x]) * channels; c < channels; c++, at++) {
                    sampled[at] = inside ? samples[from + c] : 0;
                }
            }
        }
        return sampled;
    }

    /**
     * The source index ImagingScaleAffine samples for the outputs {@code [first, first + count)}, or -1 outside
     * the source: the position starts at half a step and grows by adding the step, rounding error and all.
     */
    private static int[] nearestSources(int inSize, int outSize, int first, int count) {
        double step = (double) inSize / outSize;
        double position = step * 0.5;
        for (int i = 0; i < first; i++) {
            position += step;
        }
        int[] sources = new int[count];
        for (int i = 0; i < count; i++, position += step) {
            int source = position < 0.0 ? -1 : (int) position;
            sources[i] = source < inSize ? source : -1;
        }
        return sources;
    }
}
