package io.montage.quotas;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The quotas and rate limit of a tenant that has none of its own (montage.quotas.*); an operator sets a tenant's
 * own with {@code admin set-quotas} (stored in tenant_quotas). The defaults let real use through and stop one
 * tenant from holding the platform:
 *
 * @param itemsPerDay       items (inference inputs, sync and bulk) per UTC day: a nightly 1M-line upload plus a
 *                          steady stream of synchronous requests fits several times over, while 10M items are
 *                          hours of a GPU worker's time, not days
 * @param inflightJobs      bulk jobs queued or running at once: enough to pipeline uploads, few enough that one
 *                          tenant's jobs cannot fill every worker's queue
 * @param collectionItems   items stored across all of a tenant's collections: a million-item catalog (with its
 *                          source images kept for re-embedding, ~100 GB) is the largest a default tenant may keep
 * @param requestsPerMinute each API key's sustained request rate (10 a second)
 * @param burst             how many requests a key may send at once after being idle (the bucket's capacity)
 */
@ConfigurationProperties("montage.quotas")
public record QuotaDefaults(@Bindable(defaultValue = "10000000") long itemsPerDay,
                            @Bindable(defaultValue = "10") int inflightJobs,
                            @Bindable(defaultValue = "1000000") long collectionItems,
                            @Bindable(defaultValue = "600") int requestsPerMinute,
                            @Bindable(defaultValue = "100") int burst) {
}
