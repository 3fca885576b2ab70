package io.montage.api.jobs;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.UUID;

/** A page of jobs, newest first; pass {@code next_after} as {@code after} for the next page. */
@Serdeable
public record JobList(String object, List<JobView> data, boolean hasMore, @Nullable UUID nextAfter) {
}
