package io.montage.console.evaluations;

import java.util.List;

/**
 * The Pareto-best models of a comparison on quality (higher is better), items/s (higher) and peak memory (lower): a
 * model is marked when no other is at least as good on all three and better on one. A model without one of the
 * three numbers (its run failed, a run too short to time) is not judged and dominates none.
 */
final class Pareto {

    /** One model's three numbers; null where unknown. */
    record Point(Double quality, Double itemsPerSecond, Long memoryBytes) {

        boolean complete() {
            return quality != null && itemsPerSecond != null && memoryBytes != null;
        }

        /** At least as good as {@code other} on all three and better on one. */
        boolean dominates(Point other) {
            boolean noWorse = quality >= other.quality && itemsPerSecond >= other.itemsPerSecond
                    && memoryBytes <= other.memoryBytes;
            boolean better = quality > other.quality || itemsPerSecond > other.itemsPerSecond
                    || memoryBytes < other.memoryBytes;
            return noWorse && better;
        }
    }

    private Pareto() {
    }

    /** Whether each point is on the front, in the order given (equal points are all on it, or all off). */
    static boolean[] front(List<Point> points) {
        boolean[] best = new boolean[points.size()];
        for (int i = 0; i < best.length; i++) {
            Point p = points.get(i);
            best[i] = p.complete() && points.stream().noneMatch(q -> q.complete() && q.dominates(p));
        }
        return best;
    }
}
