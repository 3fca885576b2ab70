package io.montage.api.jobs;

import io.montage.errors.MontageException;
import jakarta.inject.Singleton;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;

/**
 * The slots uploads take while they stream in ({@link UploadLimits}), taken before a byte of the body is read: over
 * the tenant's slots is 429 {@code too_many_uploads}, over the node's 503 {@code uploads_busy}, both at once and
 * with Retry-After, so that a refused client has sent (and the api has read) nothing of its upload.
 */
@Singleton
class UploadSlots {

    /** A slot taken; closing it frees it. */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    private final UploadLimits limits;
    private final Semaphore node;
    private final ConcurrentMap<UUID, Integer> tenants = new ConcurrentHashMap<>();

    UploadSlots(UploadLimits limits) {
        this.limits = limits;
        this.node = new Semaphore(limits.maxConcurrentUploads());
    }

    Slot take(UUID tenantId) {
        if (!takeTenantSlot(tenantId)) {
            throw new MontageException(429, "too_many_uploads", "a tenant may stream "
                    + limits.maxConcurrentUploadsPerTenant() + " uploads at once and this one already does; send "
                    + "this upload when one of them is done (retry in " + limits.uploadRetryAfter().toSeconds()
                    + " s)", limits.uploadRetryAfter());
        }
        if (!node.tryAcquire()) {
            freeTenantSlot(tenantId);
            throw new MontageException(503, "uploads_busy", "the server is reading as many uploads as it takes at "
                    + "once; retry in " + limits.uploadRetryAfter().toSeconds() + " s", limits.uploadRetryAfter());
        }
        return () -> {
            node.release();
            freeTenantSlot(tenantId);
        };
    }

    private boolean takeTenantSlot(UUID tenantId) {
        boolean[] taken = {false};
        tenants.compute(tenantId, (id, uploads) -> {
            int now = uploads == null ? 0 : uploads;
            taken[0] = now < limits.maxConcurrentUploadsPerTenant();
            return taken[0] ? now + 1 : uploads;
        });
        return taken[0];
    }

    private void freeTenantSlot(UUID tenantId) {
        tenants.computeIfPresent(tenantId, (id, uploads) -> uploads > 1 ? uploads - 1 : null);
    }
}
