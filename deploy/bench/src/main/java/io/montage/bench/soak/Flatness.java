package io.montage.bench.soak;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Whether a memory series grows with the work done: a least-squares line of the series (MiB) against items
 * finished, over the steady part of the processing phase (from {@code steadyFrom} of the items on, after the JIT,
 * the batch buffers and the connection pools have settled). The slope is given in MiB per 100,000 items; first and
 * last are the series' samples at the ends of the steady part, fitted* the line's values there.
 */
record Flatness(double slopePer100k, int points, long fromItems, long toItems, double first, double last,
                double fittedFirst, double fittedLast) {

    static Flatness fit(List<Sample> samples, ToDoubleFunction<Sample> series, double steadyFrom) {
        long total = samples.stream().mapToLong(Sample::itemsDone).max().orElse(0);
        List<Sample> steady = samples.stream()
                .filter(s -> s.phase().equals("processing") && s.itemsDone() >= steadyFrom * total).toList();
        if (steady.size() < 3) {
            throw new IllegalStateException("only " + steady.size() + " samples in the steady part: run longer");
        }
        double n = steady.size();
        double meanX = steady.stream().mapToDouble(Sample::itemsDone).average().orElseThrow();
        double meanY = steady.stream().mapToDouble(series).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        for (Sample s : steady) {
            double dx = s.itemsDone() - meanX;
            sxy += dx * (series.applyAsDouble(s) - meanY);
            sxx += dx * dx;
        }
        if (sxx == 0) {
            throw new IllegalStateException("no items finished during the steady part");
        }
        double slope = sxy / sxx;
        long from = steady.getFirst().itemsDone();
        long to = steady.getLast().itemsDone();
        return new Flatness(slope * 100_000, (int) n, from, to, series.applyAsDouble(steady.getFirst()),
                series.applyAsDouble(steady.getLast()), meanY + slope * (from - meanX), meanY + slope * (to - meanX));
    }
}
