package io.montage.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Order statistics of a sample, by nearest rank: with few samples (a slow model gives a few dozen requests) an
 * interpolated p99 would pretend to a precision the run does not have; nearest rank is simply the k-th value.
 */
public final class Latencies {

    private final double[] sorted;

    public Latencies(List<Double> values) {
        this.sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    public Latencies(double[] values) {
        this.sorted = values.clone();
        Arrays.sort(this.sorted);
    }

    public int count() {
        return sorted.length;
    }

    /** The p-th percentile (0 < p ≤ 100) by nearest rank; NaN when there are no samples. */
    public double percentile(double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    public double median() {
        return percentile(50);
    }

    public double mean() {
        return sorted.length == 0 ? Double.NaN : Arrays.stream(sorted).average().orElseThrow();
    }

    public double min() {
        return sorted.length == 0 ? Double.NaN : sorted[0];
    }

    public double max() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }
}
