package io.montage.db;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Brings the schema up to date before anything else touches the database (montage.database.migrate-on-start). */
@Context
@Requires(property = "montage.database.migrate-on-start", notEquals = "false")
class MigrateOnStart {

    private static final Logger LOG = LoggerFactory.getLogger(MigrateOnStart.class);

    private final Migrator migrator;

    MigrateOnStart(Migrator migrator) {
        this.migrator = migrator;
    }

    @PostConstruct
    void migrate() {
        int applied = migrator.migrate();
        LOG.info("database schema is current ({} migration(s) applied now)", applied);
    }
}
