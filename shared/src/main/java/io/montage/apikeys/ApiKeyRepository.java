package io.montage.apikeys;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The api_keys table. Inside {@code Database.inTenant} it sees that tenant's keys only (row-level security); the
 * key check, which must find a key before it knows the tenant, runs as the system role.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface ApiKeyRepository extends GenericRepository<ApiKey, UUID> {

    /** What identifies a presented key: its hash to compare, and its tenant's status. */
    @Introspected
    record Candidate(UUID id, byte[] secretHash, String tenantSlug, String tenantStatus) {
    }

    /** The secret's hash and lookup prefix are written once, here, and never read back into an ApiKey; the scopes
     * parameter is bound as the entity's column ({@link ScopeColumn}). */
    @Query("INSERT INTO api_keys (id, tenant_id, name, lookup_prefix, secret_hash, scopes, expires_at) "
            + "VALUES (:id, :tenantId, :name, :lookupPrefix, :secretHash, :scopes, :expiresAt)")
    void insert(UUID id, UUID tenantId, String name, String lookupPrefix, byte[] secretHash,
                Set<Scope> scopes, @Nullable Instant expiresAt);

    @Query("SELECT k.id, k.secret_hash, t.slug AS tenant_slug, t.status AS tenant_status "
            + "FROM api_keys k JOIN tenants t ON t.id = k.tenant_id WHERE k.lookup_prefix = :lookupPrefix")
    List<Candidate> findCandidates(String lookupPrefix);

    Optional<ApiKey> findById(UUID id);

    List<ApiKey> listOrderByCreatedAt();

    @Query("UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = :id")
    long revoke(UUID id);

    /** At most one write per key per minute, however busy the key is. */
    @Query("UPDATE api_keys SET last_used_at = now() WHERE id = :id "
            + "AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')")
    void touch(UUID id);
}
