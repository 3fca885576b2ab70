package io.montage.collections;

import java.util.Set;

/** Items a write left out because they did not fit the tenant's collection_items quota, and why. */
public record OverQuota(Set<String> itemIds, String reason) {

    static final OverQuota NONE = new OverQuota(Set.of(), null);
}
