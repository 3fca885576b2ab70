package io.montage.bench;

import java.util.Locale;

/** Numbers as the search and bulk reports print them. */
public final class Numbers {

    private Numbers() {
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
