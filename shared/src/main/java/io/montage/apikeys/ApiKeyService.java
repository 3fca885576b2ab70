package io.montage.apikeys;

import io.montage.db.Database;
import io.montage.errors.MontageException;
import io.montage.tenants.Tenant;
import jakarta.inject.Singleton;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Issues, checks, lists and revokes API keys. Checking reads the database every time: revocation is immediate. */
@Singleton
public class ApiKeyService {

    private final Database database;
    private final ApiKeyRepository keys;

    public ApiKeyService(Database database, ApiKeyRepository keys) {
        this.database = database;
        this.keys = keys;
    }

    public CreatedApiKey create(UUID tenantId, String name, Set<Scope> scopes, Instant expiresAt) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw MontageException.invalid("invalid_key_name", "name must be 1-200 characters");
        }
        if (scopes == null || scopes.isEmpty()) {
            throw MontageException.invalid("invalid_key_scopes", "a key needs at least one scope");
        }
        if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
            throw MontageException.invalid("invalid_key_expiry", "expires_at must be in the future");
        }
        String secret = ApiKeyFormat.generate();
        ApiKeyFormat.ParsedKey parsed = ApiKeyFormat.parse(secret).parsed().orElseThrow();
        UUID id = UUID.randomUUID();
        ApiKey key = database.inTenant(tenantId, c -> {
            keys.insert(id, tenantId, name, parsed.lookupPrefix(), parsed.hash(), scopes, expiresAt);
            return keys.findById(id).orElseThrow();
        });
        return new CreatedApiKey(key, secret);
    }

    /** Checks a presented key string. Never logs or stores it. */
    public KeyCheck check(String presented) {
        ApiKeyFormat.Result parsed = ApiKeyFormat.parse(presented);
        if (parsed.defect() != null) {
            return new KeyCheck.Rejected(parsed.defect() == ApiKeyFormat.Defect.BAD_CHECKSUM
                    ? KeyRejection.BAD_CHECKSUM : KeyRejection.MALFORMED);
        }
        ApiKeyFormat.ParsedKey key = parsed.key();
        return database.asSystem(c -> {
            for (ApiKeyRepository.Candidate candidate : keys.findCandidates(key.lookupPrefix())) {
                if (MessageDigest.isEqual(candidate.secretHash(), key.hash())) {
                    return decide(keys.findById(candidate.id()).orElseThrow(), candidate);
                }
            }
            return new KeyCheck.Rejected(KeyRejection.UNKNOWN);
        });
    }

    private KeyCheck decide(ApiKey key, ApiKeyRepository.Candidate candidate) {
        if (key.revokedAt() != null) {
            return new KeyCheck.Rejected(KeyRejection.REVOKED);
        }
        if (key.expiresAt() != null && !key.expiresAt().isAfter(Instant.now())) {
            return new KeyCheck.Rejected(KeyRejection.EXPIRED);
        }
        if (!Tenant.ACTIVE.equals(candidate.tenantStatus())) {
            return new KeyCheck.Rejected(KeyRejection.TENANT_SUSPENDED);
        }
        keys.touch(key.id());
        return new KeyCheck.Accepted(key, candidate.tenantSlug());
    }

    public List<ApiKey> list(UUID tenantId) {
        return database.inTenant(tenantId, c -> keys.listOrderByCreatedAt());
    }

    public Optional<ApiKey> find(UUID tenantId, UUID keyId) {
        return database.inTenant(tenantId, c -> keys.findById(keyId));
    }

    public void revoke(UUID tenantId, UUID keyId) {
        database.inTenant(tenantId, c -> {
            if (keys.revoke(keyId) == 0) {
                throw MontageException.notFound("api_key_not_found", "no API key " + keyId);
            }
            return null;
        });
    }
}
