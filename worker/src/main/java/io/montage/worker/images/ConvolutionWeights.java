package io.montage.worker.images;

/**
 * The weights one axis of a PIL resize applies to its input pixels, for the output pixels {@code [first, first +
 * count)}: libImaging's precompute_coeffs and normalize_coeffs_8bpc, in the same double arithmetic. Each output
 * pixel takes the inputs {@code start(i) … start(i) + taps(i) - 1}, weighted by the filter (stretched by the scale
 * factor when downscaling, which is PIL's antialiasing), normalised to sum 1 and then turned to fixed point.
 */
final class ConvolutionWeights {

    /** Fractional bits of the fixed-point weights: 32 bits less 8 for the sample, less 2 for overshoot and sign. */
    static final int PRECISION_BITS = 32 - 8 - 2;
    /** What every weighted sum starts from: a half, so that the shift in {@link #clip8} rounds. */
    static final int ROUNDING = 1 << (PRECISION_BITS - 1);

    private final int[] start;
    private final int[] taps;
    private final int[] weights;
    private final int maxTaps;

    private ConvolutionWeights(int[] start, int[] taps, int[] weights, int maxTaps) {
        this.start = start;
        this.taps = taps;
        this.weights = weights;
        this.maxTaps = maxTaps;
    }

    static ConvolutionWeights of(int inSize, int outSize, Resampling filter, int first, int count) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = filter.support() * filterScale;
        int maxTaps = (int) Math.ceil(support) * 2 + 1;
        int[] start = new int[count];
        int[] taps = new int[count];
        int[] weights = new int[count * maxTaps];
        double[] k = new double[maxTaps];
        double inverseScale = 1.0 / filterScale;
        for (int i = 0; i < count; i++) {
            double center = (first + i + 0.5) * scale;
            int min = Math.max((int) (center - support + 0.5), 0);
            int n = Math.min((int) (center + support + 0.5), inSize) - min;
            double sum = 0.0;
            for (int x = 0; x < n; x++) {
                double w = filter.weight((x + min - center + 0.5) * inverseScale);
                k[x] = w;
                sum += w;
            }
            for (int x = 0; x < n; x++) {
                double normalised = sum != 0.0 ? k[x] / sum : k[x];
                weights[i * maxTaps + x] = (int) (normalised < 0
                        ? -0.5 + normalised * (1 << PRECISION_BITS)
                        : 0.5 + normalised * (1 << PRECISION_BITS));
            }
            start[i] = min;
            taps[i] = n;
        }
        return new ConvolutionWeights(start, taps, weights, maxTaps);
    }

    /**
     * One grey row across: the output pixels {@code [first, first + count)} of the input row whose pixels from
     * column {@code inFirst} on are {@code in[0]}, {@code in[1]}, …, rounded and clipped to 0–255, into
     * {@code out}. Ints, not bytes: C2 vectorises the int dot product, not a byte one.
     */
    void resampleRow(int[] in, int inFirst, int[] out) {
        for (int i = 0; i < start.length; i++) {
            int sum = ROUNDING;
            for (int tap = 0, at = start[i] - inFirst, w = i * maxTaps, n = taps[i]; tap < n; tap++) {
                sum += in[at + tap] * weights[w + tap];
            }
            out[i] = clip8(sum);
        }
    }

    /**
     * One RGB row across: the output pixels {@code [first, first + count)} of the interleaved input row that
     * starts at {@code in[from]}, rounded and clipped to 0–255, written interleaved into {@code out}. A pixel's
     * three channels are summed together, so a weight is read once for all three.
     */
    void resampleRgbRow(byte[] in, int from, int[] out) {
        for (int i = 0, o = 0; i < start.length; i++, o += 3) {
            int at = from + start[i] * 3;
            int r = ROUNDING;
            int g = ROUNDING;
            int b = ROUNDING;
            for (int w = i * maxTaps, end = w + taps[i]; w < end; w++, at += 3) {
                int weight = weights[w];
                r += (in[at] & 0xFF) * weight;
                g += (in[at + 1] & 0xFF) * weight;
                b += (in[at + 2] & 0xFF) * weight;
            }
            out[o] = clip8(r);
            out[o + 1] = clip8(g);
            out[o + 2] = clip8(b);
        }
    }

    /** One past the last input pixel any output pixel takes. */
    int reach() {
        return start[start.length - 1] + taps[taps.length - 1];
    }

    /** The most input pixels any output pixel takes. */
    int maxTaps() {
        return maxTaps;
    }

    /** The first input pixel output pixel {@code first + i} takes. */
    int start(int i) {
        return start[i];
    }

    /** How many input pixels output pixel {@code first + i} takes. */
    int taps(int i) {
        return taps[i];
    }

    /** The fixed-point weight output pixel {@code first + i} gives its {@code tap}th input pixel. */
    int weight(int i, int tap) {
        return weights[i * maxTaps + tap];
    }

    /** Rounds a fixed-point sum to a sample, clipped to 0–255, as libImaging's clip8. */
    static int clip8(int sum) {
        int value = sum >> PRECISION_BITS;
        return value < 0 ? 0 : Math.min(value, 255);
    }
}
