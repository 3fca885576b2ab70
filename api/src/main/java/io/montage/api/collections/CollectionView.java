package io.montage.api.collections;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.UUID;

/**
 * A collection on the wire; while it switches models, {@code switching_to} names the model being re-embedded into
 * and {@code switch_job_id} the job doing it.
 */
@Serdeable
public record CollectionView(UUID id, String object, String name, String model, int itemCount,
                             @Nullable String switchingTo, @Nullable UUID switchJobId, Instant createdAt) {
}
