package io.montage.apikeys;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** A tenant's API key as stored: never the key itself, only what identifies and limits it. */
@Serdeable
public record ApiKey(UUID id, UUID tenantId, String name, Set<Scope> scopes, Instant createdAt, Instant expiresAt,
                     Instant lastUsedAt, Instant revokedAt) {
}
