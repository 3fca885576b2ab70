package io.montage.jobs;

import io.montage.jobs.contracts.ValidateModelJob;
import io.montage.collections.Collection;
import io.montage.collections.Collections;
import io.montage.collections.ModelSwitch;
import io.montage.collections.NewCollectionItem;
import io.montage.db.Database;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.tenants.Tenant;
import io.montage.testing.FakeBundle;
import io.montage.testing.SharedContext;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** No job stays for ever: the database refuses one without an expiry, and every producer gives one. */
class EveryJobExpiresTest {

    private final Database database = SharedContext.bean(Database.class);
    private final Duration platformRetention = SharedContext.bean(QueueConfig.class).retention();

    @Test
    void theDatabaseRefusesAJobWithoutExpiry() {
        boolean notNull = database.asSystem(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT attnotnull FROM pg_attribute "
                    + "WHERE attrelid = 'jobs'::regclass AND attname = 'expires_at'");
                 ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        });
        assertTrue(notNull, "jobs.expires_at is NOT NULL");
    }

    @Test
    void aJobThatStatesNoRetentionGetsTheQueuesDefault() {
        Tenant tenant = SharedContext.newTenant();
        Instant before = Instant.now();
        Job job = SharedContext.bean(JobIntake.class).submit(tenant.id(), new NewJob("expiry-probe", Priority.BULK, "{}",
                List.of(new NewItem("a", "{}"))));
        assertAround(before.plus(platformRetention), job.expiresAt());
    }

    @Test
    void aJobWithItsOwnRetentionKeepsIt() {
        Tenant tenant = SharedContext.newTenant();
        Instant before = Instant.now();
        Job job = SharedContext.bean(JobIntake.class).submit(tenant.id(), new NewJob("expiry-probe", Priority.BULK, "{}",
                null, Duration.ofMinutes(3), List.of(new NewItem("a", "{}"))));
        assertAround(before.plus(Duration.ofMinutes(3)), job.expiresAt());
    }

    @Test
    void modelValidationAndModelSwitchJobsExpire() throws Exception {
        ModelRegistry registry = SharedContext.bean(ModelRegistry.class);
        Instant before = Instant.now();
        Model first = FakeBundle.registerReady(registry, "exp");
        Model second = FakeBundle.registerReady(registry, "exp");
        assertAround(before.plus(platformRetention), validationJobExpiry(first));

        Tenant tenant = SharedContext.newTenant();
        Collections collections = SharedContext.bean(Collections.class);
        Collection collection = collections.create(tenant.id(), "switching", first);
        collections.upsert(tenant.id(), collection.id(), first.id(), List.of(new NewCollectionItem("t", null, "a text",
                null, null, new float[]{1, 0, 0, 0, 0, 0, 0, 0})));
        Job reembed = SharedContext.bean(ModelSwitch.class).start(tenant.id(), collection, second);
        assertNotNull(reembed);
        assertAround(before.plus(platformRetention), reembed.expiresAt());
    }

    private Instant validationJobExpiry(Model model) {
        return database.asSystem(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT j.expires_at FROM jobs j JOIN items i "
                    + "ON i.job_id = j.id WHERE j.type = ? AND i.custom_id = ?")) {
                select.setString(1, ValidateModelJob.NAME);
                select.setString(2, model.id().toString());
                try (ResultSet rs = select.executeQuery()) {
                    assertTrue(rs.next(), "a validation job for " + model.reference());
                    return rs.getTimestamp(1).toInstant();
                }
            }
        });
    }

    private static void assertAround(Instant expected, Instant actual) {
        assertNotNull(actual, "expires_at");
        assertFalse(actual.isBefore(expected.minusSeconds(5)) || actual.isAfter(expected.plusSeconds(60)),
                "expires_at " + actual + ", expected about " + expected);
    }
}
