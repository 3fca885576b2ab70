package io.montage.tenants;

import io.montage.db.Database;
import io.montage.errors.MontageException;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Creating, finding, suspending and resuming tenants: administration, so it runs as the system role. */
@Singleton
public class TenantService {

    private static final Pattern SLUG = Pattern.compile("^[a-z0-9][a-z0-9-]{1,62}$");

    private final Database database;
    private final TenantRepository tenants;

    public TenantService(Database database, TenantRepository tenants) {
        this.database = database;
        this.tenants = tenants;
    }

    public Tenant create(String slug, String name) {
        if (slug == null || !SLUG.matcher(slug).matches()) {
            throw MontageException.invalid("invalid_tenant_slug",
                    "slug must be 2-63 characters of a-z, 0-9 and '-', starting with a letter or digit");
        }
        if (name == null || name.isBlank() || name.length() > 200) {
            throw MontageException.invalid("invalid_tenant_name", "name must be 1-200 characters");
        }
        return database.asSystem(c -> {
            if (tenants.findBySlug(slug).isPresent()) {
                throw MontageException.conflict("tenant_exists", "a tenant with slug '" + slug + "' exists");
            }
            return tenants.save(new Tenant(UUID.randomUUID(), slug, name, Tenant.ACTIVE, null));
        });
    }

    public Optional<Tenant> findBySlug(String slug) {
        return database.asSystem(c -> tenants.findBySlug(slug));
    }

    /** The tenant with this slug, or 404 tenant_not_found. */
    public Tenant requireBySlug(String slug) {
        return findBySlug(slug).orElseThrow(() -> MontageException.notFound("tenant_not_found", "no tenant '" + slug + "'"));
    }

    public Optional<Tenant> find(UUID id) {
        return database.asSystem(c -> tenants.findById(id));
    }

    public List<Tenant> list() {
        return database.asSystem(c -> tenants.listOrderBySlug());
    }

    /**
     * Suspends ({@link Tenant#SUSPENDED}) or resumes ({@link Tenant#ACTIVE}) a tenant. A suspended tenant's keys
     * are refused with tenant_suspended from their next request on: the key check reads the status every time.
     */
    public Tenant setStatus(UUID id, String status) {
        if (!Tenant.ACTIVE.equals(status) && !Tenant.SUSPENDED.equals(status)) {
            throw MontageException.invalid("invalid_tenant_status", "status is 'active' or 'suspended'");
        }
        return database.asSystem(c -> {
            if (tenants.update(id, status) == 0) {
                throw MontageException.notFound("tenant_not_found", "no tenant " + id);
            }
            return tenants.findById(id).orElseThrow();
        });
    }
}
