package io.montage.evaluation.runs;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Evaluation run settings (montage.evaluation.*).
 *
 * @param rangeEntries        dataset entries per job item: one item is one batch of the run's cost report
 * @param maxScoreCells       the most scores a run's metrics hold in memory at once, where they are computed:
 *                            entries × classes (zero-shot) or images × captions (retrieval); 25 M doubles are 200 MB
 * @param retention           how long a run's jobs (and their per-entry outcomes) are kept; the metrics outlive them
 */
@ConfigurationProperties("montage.evaluation")
public record EvaluationConfig(@Bindable(defaultValue = "16") int rangeEntries,
                               @Bindable(defaultValue = "25000000") long maxScoreCells,
                               @Bindable(defaultValue = "30d") Duration retention) {

    public EvaluationConfig {
        if (rangeEntries < 1 || rangeEntries > 256) {
            throw new IllegalStateException("montage.evaluation.range-entries must be 1 … 256, not " + rangeEntries);
        }
        if (maxScoreCells < 1) {
            throw new IllegalStateException("montage.evaluation.max-score-cells must be at least 1");
        }
    }
}
