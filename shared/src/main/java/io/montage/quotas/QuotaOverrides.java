package io.montage.quotas;

import io.micronaut.core.annotation.Nullable;

/** Quotas to set for a tenant; a null field leaves that quota as it is. */
public record QuotaOverrides(@Nullable Long itemsPerDay, @Nullable Integer inflightJobs,
                             @Nullable Long collectionItems, @Nullable Integer requestsPerMinute,
                             @Nullable Integer burst) {

    boolean changesNothing() {
        return itemsPerDay == null && inflightJobs == null && collectionItems == null && requestsPerMinute == null
                && burst == null;
    }
}
