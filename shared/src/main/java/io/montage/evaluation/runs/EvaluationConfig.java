package io.montage.evaluation.runs;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Evaluation run settings (montage.evaluation.*).
 *
 * @param rangeEntries        dataset entries per job item: one item is one batch of the run's cost report
 * @param maxRetrievalEntries the largest dataset version a retrieval run takes: its metrics hold the full image ×
 *                            caption similarity matrix in memory (5,000² doubles is 200 MB)
 * @param retention           how long a run's jobs (and their per-entry outcomes) are kept; the metrics outlive them
 */
@ConfigurationProperties("montage.evaluation")
public record EvaluationConfig(@Bindable(defaultValue = "16") int rangeEntries,
                               @Bindable(defaultValue = "5000") int maxRetrievalEntries,
                               @Bindable(defaultValue = "30d") Duration retention) {

    public EvaluationConfig {
        if (rangeEntries < 1 || rangeEntries > 256) {
            throw new IllegalStateException("montage.evaluation.range-entries must be 1 … 256, not " + rangeEntries);
        }
        if (maxRetrievalEntries < 1) {
            throw new IllegalStateException("montage.evaluation.max-retrieval-entries must be at least 1");
        }
    }
}
