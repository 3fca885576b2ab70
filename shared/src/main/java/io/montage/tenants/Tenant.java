package io.montage.tenants;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.UUID;

/** An organisation that calls Montage; every piece of tenant data carries its id. */
@Serdeable
public record Tenant(UUID id, String slug, String name, String status, Instant createdAt) {
    public boolean active() {
        return "active".equals(status);
    }
}
