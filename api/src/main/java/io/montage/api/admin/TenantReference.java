package io.montage.api.admin;

import io.montage.errors.MontageException;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;

import java.util.UUID;

/** A {@code --tenant} given as the tenant's id (what list-tenants prints first) or its slug. */
final class TenantReference {

    private TenantReference() {
    }

    /** The tenant, or 404 tenant_not_found. */
    static Tenant resolve(TenantService tenants, String idOrSlug) {
        return asId(idOrSlug)
                .map(id -> tenants.find(id).orElseThrow(() -> MontageException.notFound("tenant_not_found",
                        "no tenant with id " + id)))
                .orElseGet(() -> tenants.requireBySlug(idOrSlug));
    }

    private static java.util.Optional<UUID> asId(String text) {
        try {
            return java.util.Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException notAnId) {
            return java.util.Optional.empty(); // a slug (slugs have no four dashes between hex groups)
        }
    }
}
