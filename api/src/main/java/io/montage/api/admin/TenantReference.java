package io.montage.api.admin;

import io.montage.errors.MontageException;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** A {@code --tenant} given as the tenant's id (what list-tenants prints first) or its slug. */
final class TenantReference {

    /** An id as list-tenants prints it (UUID.fromString alone would also take a slug such as "a-b-c-d-e"). */
    private static final Pattern ID = Pattern.compile("^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$");

    private TenantReference() {
    }

    /** The tenant with that id, else the one with that slug, or 404 tenant_not_found. */
    static Tenant resolve(TenantService tenants, String idOrSlug) {
        Optional<UUID> id = ID.matcher(idOrSlug).matches() ? Optional.of(UUID.fromString(idOrSlug)) : Optional.empty();
        return id.flatMap(tenants::find).or(() -> tenants.findBySlug(idOrSlug))
                .orElseThrow(() -> MontageException.notFound("tenant_not_found",
                        "no tenant with id or slug '" + idOrSlug + "'"));
    }
}
