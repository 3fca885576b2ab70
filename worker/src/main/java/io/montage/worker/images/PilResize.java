package io.montage.worker.images;

import java.util.Arrays;

/**
 * PIL 9.4's {@code Image.resize} of 8-bit images (modes L and RGB), bit for bit, followed by a crop: only the
 * cropped region's pixels are computed, which gives the same values because every output pixel of a PIL resize
 * depends on its own position alone.
 *
 * <p>BICUBIC and BILINEAR are libImaging's two-pass convolution (ImagingResampleInner): a horizontal pass over just
 * the rows the vertical pass will read, its results rounded and clipped to 8 bits, then the vertical pass; an axis
 * whose size does not change is not resampled at all. The sums are of integers (fixed-point weights times 8-bit
 * samples, far from overflowing), so adding them in another order than PIL's gives the same bits: the vertical
 * pass accumulates a whole output row tap by tap, which the JIT vectorises. NEAREST is what PIL does for it instead,
 * ImagingScaleAffine: sample at the pixel centres, stepping through the source by accumulated doubles. The input
 * and the output are interleaved (a DecodedImage's layout, channel c of pixel i at {@code i · channels + c}): the
 * horizontal pass reads each input pixel's channels together, and the vertical pass sees a row of
 * {@code width · channels} samples as one long row ({@link BetweenRows} holds the rows between the passes).
 */
final class PilResize {

    private PilResize() {
    }

    /**
     * Resizes {@code image} to {@code outWidth × outHeight} and returns the {@code crop} of that, interleaved as
     * the input; with {@code luma}, a colour image is first PIL's {@code convert("L")} of it (and comes out grey).
     */
    static byte[] resize(DecodedImage image, boolean luma, int outWidth, int outHeight, Resampling resampling,
                         Crop crop) {
        int width = image.width();
        int height = image.height();
        if (resampling != Resampling.NEAREST && (outWidth != width || outHeight != height)) {
            return convolved(image, luma, outWidth, outHeight, resampling, crop);
        }
        boolean grey = luma && image.channels() == 3;
        byte[] samples = grey ? PilConvert.luma(image) : image.samples();
        int channels = grey ? 1 : image.channels();
        if (outWidth == width && outHeight == height) {
            // PIL returns a copy when the size does not change
            return region(samples, channels, width, crop.left(), crop.top(), crop.width(), crop.height());
        }
        return nearest(samples, channels, width, height, outWidth, outHeight, crop);
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

    private static byte[] convolved(DecodedImage image, boolean luma, int outWidth, int outHeight, Resampling filter,
                                    Crop crop) {
        boolean vertical = outHeight != image.height();
        ConvolutionWeights columns = outWidth != image.width()
                ? ConvolutionWeights.of(image.width(), outWidth, filter, crop.left(), crop.width()) : null;
        ConvolutionWeights rows = vertical
                ? ConvolutionWeights.of(image.height(), outHeight, filter, crop.top(), crop.height()) : null;
        BetweenRows between = new BetweenRows(image, luma, columns, crop.left(), crop.width(),
                vertical ? rows.maxTaps() : 1);
        int rowLength = between.rowLength();
        byte[] out = new byte[rowLength * crop.height()];
        if (!vertical) {
            for (int y = 0, at = 0; y < crop.height(); y++) {
                int[] row = between.row(crop.top() + y);
                for (int x = 0; x < rowLength; x++, at++) {
                    out[at] = (byte) row[x];
                }
            }
            return out;
        }
        int[] sums = new int[rowLength];
        for (int y = 0, at = 0; y < crop.height(); y++) {
            Arrays.fill(sums, ConvolutionWeights.ROUNDING);
            for (int tap = 0, taps = rows.taps(y); tap < taps; tap++) {
                int weight = rows.weight(y, tap);
                int[] row = between.row(rows.start(y) + tap);
                for (int x = 0; x < rowLength; x++) { // ints, not bytes: C2 vectorises int × int, not byte × int
                    sums[x] += row[x] * weight;
                }
            }
            for (int x = 0; x < rowLength; x++, at++) {
                out[at] = (byte) ConvolutionWeights.clip8(sums[x]);
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
