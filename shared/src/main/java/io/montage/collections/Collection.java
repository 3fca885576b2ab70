package io.montage.collections;

import java.time.Instant;
import java.util.UUID;

/** A tenant's named set of items embedded by one model. {@code nextModelId} is set while switching models. */
public record Collection(UUID id, UUID tenantId, String name, UUID modelId, UUID nextModelId, int itemCount,
                         Instant createdAt) {
}
