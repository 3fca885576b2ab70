package io.montage.collections;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Vector search tuning (montage.search.*).
 *
 * @param exactBelow collections with fewer items are searched exactly: a scan of a small collection is fast and
 *                   exact, while the per-model HNSW index spans every collection of the model and would have to
 *                   skip past other collections' neighbours
 * @param efSearch   HNSW candidate list size (recall vs latency)
 * @param maxScanTuples how far an iterative index scan may go looking for hits that pass the filters
 * @param filterFirstBelow a filtered search expected (by the planner's statistics) to match fewer items ranks
 *                   exactly the items the GIN index finds, instead of walking the HNSW graph past non-matching ones
 */
@ConfigurationProperties("montage.search")
public record SearchConfig(@Bindable(defaultValue = "10000") int exactBelow,
                           @Bindable(defaultValue = "100") int efSearch,
                           @Bindable(defaultValue = "20000") int maxScanTuples,
                           @Bindable(defaultValue = "5000") int filterFirstBelow) {
}
