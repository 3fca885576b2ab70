package io.montage.apikeys;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import io.micronaut.data.model.DataType;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * A tenant's API key as stored: never the key itself, only what identifies and limits it. The lookup prefix is the
 * first characters of the key's secret part (after {@code mtg_live_}), the part an operator can match against a key
 * they hold ({@link #prefix()}); the rest of the secret is never stored.
 */
@Serdeable
@MappedEntity("api_keys")
public record ApiKey(@Id UUID id, UUID tenantId, String name, String lookupPrefix,
                     @MappedProperty(type = DataType.STRING_ARRAY, converter = ScopeColumn.class) Set<Scope> scopes,
                     Instant createdAt, @Nullable Instant expiresAt, @Nullable Instant lastUsedAt,
                     @Nullable Instant revokedAt) {

    /** The key's first characters as its holder sees them: {@code mtg_live_} and the lookup prefix. */
    public String prefix() {
        return ApiKeyFormat.PREFIX + lookupPrefix;
    }
}
