package io.montage.evaluation;

/**
 * A tenant's promotion gate: the metric it compares and the margin. A candidate passes when
 * {@code candidate >= incumbent - margin}: margin 0 means "at least as good", a positive margin tolerates that much
 * regression (0.005 = half a point of accuracy), a negative one demands that much gain.
 */
public record GatePolicy(GateMetric metric, double margin) {

    /** The default: top-1 accuracy, at least as good as the incumbent. */
    public static final GatePolicy DEFAULT = new GatePolicy(GateMetric.TOP1_ACCURACY, 0.0);

    public GatePolicy {
        if (metric == null) {
            throw new IllegalArgumentException("a gate needs a metric");
        }
        if (!(margin >= -1 && margin <= 1)) {
            throw new IllegalArgumentException("the margin must be between -1 and 1 (metrics are shares), not "
                    + margin);
        }
    }
}
