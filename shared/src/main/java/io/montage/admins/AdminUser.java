package io.montage.admins;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.DateCreated;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;
import java.util.UUID;

/** An operator who signs in to the console. {@link #passwordHash} is an Argon2id hash, never the password. */
@MappedEntity("admin_users")
public record AdminUser(@Id UUID id, String username, String role, String passwordHash,
                        @DateCreated Instant createdAt, @Nullable Instant lastLoginAt) {

    public static final String ADMIN = "admin";
    public static final String VIEWER = "viewer";

    /** Whether this operator may change anything (a viewer only looks). */
    public boolean mayChange() {
        return ADMIN.equals(role);
    }

    /** Without the hash: a user printed into a log says who, not how to attack them. */
    @Override
    public String toString() {
        return "AdminUser[" + username + ", " + role + "]";
    }
}
