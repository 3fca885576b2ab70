package io.montage.api.jobs;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** A page of items in order; pass {@code next_after} as {@code after} for the next page. */
@Serdeable
public record ItemPage(String object, List<ItemView> data, boolean hasMore, @Nullable Integer nextAfter) {
}
