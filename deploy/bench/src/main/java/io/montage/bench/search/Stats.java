package io.montage.bench.search;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Order statistics by nearest rank (with 200 samples, p99 is the second-largest value: no false precision). */
public final class Stats {

    private final double[] sorted;

    public Stats(List<Double> values) {
        this.sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    public Stats(double[] values) {
        this.sorted = values.clone();
        Arrays.sort(sorted);
    }

    public int count() {
        return sorted.length;
    }

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

    /** 3 significant digits, no grouping: 0.123, 1.23, 12.3, 123, 1234. */
    public static String num(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        double a = Math.abs(v);
        String format = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, format, v);
    }

    /** Thousands grouped with commas: 12,345. */
    public static String count(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }
}
