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
 */
@ConfigurationProperties("montage.search")
public record SearchConfig(@Bindable(defaultValue = "10000") int exactBelow,
                           @Bindable(defaultValue = "100") int efSearch,
                           @Bindable(defaultValue = "20000") int maxScanTuples) {
}
