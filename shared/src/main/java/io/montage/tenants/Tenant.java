package io.montage.tenants;

import io.micronaut.data.annotation.DateCreated;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.UUID;

/** An organisation that calls Montage; every piece of tenant data carries its id. */
@Serdeable
@MappedEntity("tenants")
public record Tenant(@Id UUID id, String slug, String name, String status, @DateCreated Instant createdAt) {

    public static final String ACTIVE = "active";
    public static final String SUSPENDED = "suspended";

    public boolean active() {
        return ACTIVE.equals(status);
    }
}
