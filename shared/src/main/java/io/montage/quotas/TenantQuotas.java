package io.montage.quotas;

import io.micronaut.serde.annotation.Serdeable;

/** The quotas and rate limit that apply to a tenant: its own where an operator set them, else the defaults. */
@Serdeable
public record TenantQuotas(long itemsPerDay, int inflightJobs, long collectionItems, int requestsPerMinute,
                           int burst) {
}
