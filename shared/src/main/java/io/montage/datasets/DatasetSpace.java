package io.montage.datasets;

import io.montage.db.Database;
import io.montage.db.SqlWork;

import java.util.UUID;

/**
 * Where a dataset lives: one tenant's space, or the shared admin space ({@code tenantId} null), which every
 * tenant's transaction may read and only the system role writes (ADR 0013).
 */
public record DatasetSpace(UUID tenantId) {

    public static final DatasetSpace SHARED = new DatasetSpace(null);

    public static DatasetSpace of(UUID tenantId) {
        return new DatasetSpace(tenantId);
    }

    public boolean shared() {
        return tenantId == null;
    }

    /** Runs {@code work} in the transaction this space is written in. */
    <T> T run(Database database, SqlWork<T> work) {
        return shared() ? database.asSystem(work) : database.inTenant(tenantId, work);
    }
}
