package io.montage.evaluation.runs;

import io.micronaut.core.annotation.Nullable;
import io.montage.jobs.contracts.EvaluateJob;

import java.util.List;
import java.util.Map;

/**
 * The Pareto-best models of a comparison on quality (higher is better), items/s (higher) and memory (lower): a
 * model is marked when no other is at least as good on every axis and better on one. Memory is two numbers: the
 * worker's peak resident set (the whole process, every loaded model) and the model's own weights
 * ({@code model_bytes}, which tells an int8 or bf16 variant from its fp32 bundle where the process's memory cannot);
 * the weights count where both models report them (runs before they were recorded do not). A model without quality,
 * items/s or peak RSS (its run failed, a run too short to time) is not judged and dominates none. Used by the
 * console's comparison and by {@code GET /v1/evaluations/{id}}'s {@code pareto_best}.
 */
public final class Pareto {

    /** The quality axis per task: top-1 accuracy, or image→text recall@1 (gate metric names). */
    public static final Map<String, String> QUALITY = Map.of(EvaluateJob.ZERO_SHOT, "top1_accuracy",
            EvaluateJob.RETRIEVAL, "image_to_text_recall_at_1");

    /** One model's numbers; null where unknown. */
    public record Point(Double quality, Double itemsPerSecond, Long memoryBytes, @Nullable Long modelBytes) {

        /**
         * A model of a run of {@code task} from its stored results and cost (docs/evaluation.md), either null
         * while it has none.
         */
        public static Point of(String task, @Nullable Map<String, Object> results, @Nullable Map<String, Object> cost) {
            Object gate = results == null ? null : results.get("gate");
            Double quality = gate instanceof Map<?, ?> g ? number(g.get(QUALITY.get(task))) : null;
            Double rss = cost == null ? null : number(cost.get("peak_rss_bytes"));
            Double weights = cost == null ? null : number(cost.get("model_bytes"));
            return new Point(quality, cost == null ? null : number(cost.get("items_per_second")),
                    rss == null ? null : rss.longValue(), weights == null ? null : weights.longValue());
        }

        boolean complete() {
            return quality != null && itemsPerSecond != null && memoryBytes != null;
        }

        /** At least as good as {@code other} on every axis both have and better on one. */
        boolean dominates(Point other) {
            boolean weights = modelBytes != null && other.modelBytes != null;
            boolean noWorse = quality >= other.quality && itemsPerSecond >= other.itemsPerSecond
                    && memoryBytes <= other.memoryBytes && (!weights || modelBytes <= other.modelBytes);
            boolean better = quality > other.quality || itemsPerSecond > other.itemsPerSecond
                    || memoryBytes < other.memoryBytes || (weights && modelBytes < other.modelBytes);
            return noWorse && better;
        }
    }

    private Pareto() {
    }

    /** Whether each point is on the front, in the order given (equal points are all on it, or all off). */
    public static boolean[] front(List<Point> points) {
        boolean[] best = new boolean[points.size()];
        for (int i = 0; i < best.length; i++) {
            Point p = points.get(i);
            best[i] = p.complete() && points.stream().noneMatch(q -> q.complete() && q.dominates(p));
        }
        return best;
    }

    private static Double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : null;
    }
}
