package io.montage.collections;

import java.time.Instant;
import java.util.UUID;

/**
 * A tenant's named set of items embedded by one model. While a switch to another model is under way (its
 * re-embedding job queued or running), {@code nextModelId} names that model and {@code switchJobId} the job.
 */
public record Collection(UUID id, UUID tenantId, String name, UUID modelId, UUID nextModelId, UUID switchJobId,
                         int itemCount, Instant createdAt) {
}
