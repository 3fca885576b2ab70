package io.montage.quotas;

import io.micronaut.serde.annotation.Serdeable;

/** What a tenant uses now of each quota: items submitted today (UTC), bulk jobs in flight, collection items. */
@Serdeable
public record QuotaUsage(long itemsToday, int inflightJobs, long collectionItems) {
}
