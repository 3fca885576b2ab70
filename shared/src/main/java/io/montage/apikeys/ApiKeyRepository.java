package io.montage.apikeys;

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
 * The api_keys table, inside {@code Database.inTenant}: that tenant's keys only (row-level security). The key
 * check, on every API request, is hand-written in {@link ApiKeyService#check}.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface ApiKeyRepository extends GenericRepository<ApiKey, UUID> {

    /** The secret's hash is written once, here, and never read back into an ApiKey; the scopes parameter is bound
     * as the entity's column ({@link ScopeColumn}). */
    @Query("INSERT INTO api_keys (id, tenant_id, name, lookup_prefix, secret_hash, scopes, expires_at) "
            + "VALUES (:id, :tenantId, :name, :lookupPrefix, :secretHash, :scopes, :expiresAt)")
    void insert(UUID id, UUID tenantId, String name, String lookupPrefix, byte[] secretHash,
                Set<Scope> scopes, @Nullable Instant expiresAt);

    Optional<ApiKey> findById(UUID id);

    List<ApiKey> listOrderByCreatedAt();

    /** As the system role: every tenant's keys. */
    List<ApiKey> findByLookupPrefixStartsWithOrderByCreatedAt(String lookupPrefix);

    /** As the system role: every tenant's count. */
    @Query("SELECT tenant_id, count(*) AS usable FROM api_keys "
            + "WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()) GROUP BY tenant_id")
    List<KeyCount> countUsableByTenant();

    @Query("UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = :id")
    long revoke(UUID id);
}
