package io.montage.apikeys;

import io.micronaut.core.annotation.Introspected;

import java.util.UUID;

/** A tenant's number of usable API keys (a row of {@link ApiKeyRepository#countUsableByTenant}). */
@Introspected
record KeyCount(UUID tenantId, long usable) {
}
