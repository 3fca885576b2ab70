package io.montage.db;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * How Montage reaches PostgreSQL. The application connects as {@code user}, a non-owner role that row-level
 * security applies to; migrations run as {@code ownerUser}. Env overrides: {@code MONTAGE_DATABASE_URL}, ….
 *
 * @param url           JDBC URL of the Montage database
 * @param user          the application's login role (not the owner, so the tenant policies bite)
 * @param password      its password (ignored where the server trusts local connections)
 * @param ownerUser     the role that owns the schema and runs migrations
 * @param ownerPassword its password
 * @param systemRole    the NOLOGIN role entered with SET LOCAL ROLE for cross-tenant work
 * @param poolSize      maximum connections in the application's pool
 * @param migrateOnStart whether this process applies pending migrations when it starts
 */
@ConfigurationProperties("montage.database")
public record DatabaseConfig(
        @Bindable(defaultValue = "jdbc:postgresql://127.0.0.1:5432/montage") String url,
        @Bindable(defaultValue = "montage_app") String user,
        @Bindable(defaultValue = "montage") String password,
        @Bindable(defaultValue = "montage_owner") String ownerUser,
        @Bindable(defaultValue = "montage") String ownerPassword,
        @Bindable(defaultValue = "montage_system") String systemRole,
        @Bindable(defaultValue = "10") int poolSize,
        @Bindable(defaultValue = "true") boolean migrateOnStart) {
}
