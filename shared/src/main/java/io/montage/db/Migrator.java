package io.montage.db;

import jakarta.inject.Singleton;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

import java.util.Arrays;
import java.util.Map;

/**
 * Applies the SQL in the migrations module as the owner role. Flyway holds a PostgreSQL advisory lock while it
 * migrates, so api and worker processes starting together apply each migration exactly once.
 */
@Singleton
public class Migrator {

    private final Flyway flyway;

    public Migrator(DatabaseConfig config) {
        this.flyway = Flyway.configure()
                .dataSource(config.url(), config.ownerUser(), config.ownerPassword())
                .locations("classpath:db/migration")
                .placeholders(Map.of("appRole", config.user(), "systemRole", config.systemRole()))
                .failOnMissingLocations(true)
                .load();
    }

    /** Applies pending migrations; returns how many ran. */
    public int migrate() {
        return flyway.migrate().migrationsExecuted;
    }

    /** The versions not yet applied; empty when the schema is current. */
    public String[] pendingVersions() {
        return Arrays.stream(flyway.info().pending())
                .map(MigrationInfo::getVersion)
                .map(String::valueOf)
                .toArray(String[]::new);
    }
}
