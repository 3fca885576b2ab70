package io.montage.jobs;

import java.time.Instant;
import java.util.UUID;

/** What a tenant submitted, with counts that move once per finished task. */
public record Job(UUID id, UUID tenantId, String type, JobStatus status, int priority, String paramsJson,
                  int totalItems, int succeededItems, int failedItems, int cancelledItems,
                  Instant createdAt, Instant startedAt, Instant finishedAt, Instant expiresAt) {

    public int pendingItems() {
        return totalItems - succeededItems - failedItems - cancelledItems;
    }
}
