package io.montage.datasets;

import java.time.Instant;
import java.util.UUID;

/** A named dataset in a tenant's space or the shared one ({@code tenantId} null); its content is in versions. */
public record Dataset(UUID id, UUID tenantId, String name, DatasetKind kind, Instant createdAt) {

    public DatasetSpace space() {
        return new DatasetSpace(tenantId);
    }
}
