package io.montage.quotas;

import io.montage.jobs.contracts.EchoJob;
import io.montage.db.DataAccessException;
import io.montage.db.Database;
import io.montage.errors.MontageException;
import io.montage.jobs.JobIntake;
import io.montage.jobs.NewItem;
import io.montage.jobs.NewJob;
import io.montage.jobs.Priority;
import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tenant's quotas (its own over the defaults) and the usage they are checked against. */
class QuotasTest {

    private final Quotas quotas = SharedContext.bean(Quotas.class);
    private final QuotaDefaults defaults = SharedContext.bean(QuotaDefaults.class);
    private final Database database = SharedContext.bean(Database.class);
    private final Tenant tenant = SharedContext.newTenant();

    private void record(long items) {
        database.inTenant(tenant.id(), c -> {
            quotas.recordItems(c, tenant.id(), items);
            return null;
        });
    }

    @Test
    void aTenantWithoutQuotasOfItsOwnHasTheDefaultsAndEachOfItsOwnReplacesOneDefault() {
        TenantQuotas defaultQuotas = QuotaOverrides.NONE.over(defaults);
        assertEquals(defaultQuotas, quotas.of(tenant.id()));
        assertEquals(QuotaOverrides.NONE, quotas.own(tenant.id()));

        QuotaOverrides own = new QuotaOverrides(5L, 2, null, 60, null);
        assertEquals(new TenantQuotas(5, 2, defaults.collectionItems(), 60, defaults.burst()), quotas.set(tenant.id(), own));
        assertEquals(own, quotas.own(tenant.id()));
        assertEquals(new TenantQuotas(5, 2, defaults.collectionItems(), 60, defaults.burst()), quotas.of(tenant.id()));

        QuotaOverrides back = new QuotaOverrides(null, 2, 9L, null, null); // two back to the default, one more own
        quotas.set(tenant.id(), back);
        assertEquals(back, quotas.own(tenant.id()));
        assertEquals(new TenantQuotas(defaults.itemsPerDay(), 2, 9, defaults.requestsPerMinute(), defaults.burst()),
                quotas.of(tenant.id()));

        assertEquals(defaultQuotas, quotas.set(tenant.id(), QuotaOverrides.NONE));
        assertEquals(defaultQuotas, quotas.of(tenant.id()));
    }

    @Test
    void aChangeReadsAsBeforeAndAfterPerSetting() {
        QuotaOverrides before = new QuotaOverrides(null, 2, null, 60, 100);
        QuotaOverrides after = new QuotaOverrides(500_000L, 2, null, null, 200);
        assertEquals("items_per_day default → 500,000, requests_per_minute 60 → default, burst 100 → 200",
                after.changesFrom(before));
        assertEquals("no change", after.changesFrom(after));
        assertEquals(new QuotaOverrides(500_000L, 3, null, null, 200),
                after.with(new QuotaOverrides(null, 3, null, null, null)), "with() changes only what it is given");
    }

    @Test
    void impossibleQuotasAreRefusedAndNothingChanges() {
        quotas.set(tenant.id(), new QuotaOverrides(5L, null, null, null, null));
        MontageException e = assertThrows(MontageException.class,
                () -> quotas.set(tenant.id(), new QuotaOverrides(-1L, null, null, null, null)));
        assertEquals("invalid_quota", e.code());
        assertEquals("items_per_day must be at least 0, got -1", e.getMessage());
        e = assertThrows(MontageException.class,
                () -> quotas.set(tenant.id(), new QuotaOverrides(null, null, null, 0, null)));
        assertEquals("requests_per_minute must be at least 1, got 0", e.getMessage());
        assertEquals(new QuotaOverrides(5L, null, null, null, null), quotas.own(tenant.id()));
    }

    @Test
    void todaysItemsAddUpToTheQuotaAndARefusedAdditionIsNotCounted() {
        quotas.set(tenant.id(), new QuotaOverrides(5L, null, null, null, null));
        record(3);
        record(2);
        QuotaExceededException refused = assertThrows(QuotaExceededException.class, () -> record(1));
        assertEquals(Quota.ITEMS_PER_DAY, refused.quota());
        assertEquals(5, refused.limit());
        assertEquals(5, refused.usage());
        assertEquals(429, refused.status());
        assertTrue(refused.retryAfter().orElseThrow().toSeconds() <= 86_400, "until midnight UTC");
        assertEquals(5, quotas.usage(tenant.id()).itemsToday());
    }

    @Test
    void aRequestLargerThanTheWholeDayGetsNoRetryAfter() {
        quotas.set(tenant.id(), new QuotaOverrides(5L, null, null, null, null));
        QuotaExceededException refused = assertThrows(QuotaExceededException.class, () -> record(6));
        assertTrue(refused.retryAfter().isEmpty(), "waiting does not help");
    }

    @Test
    void usageIsPerTenant() {
        Tenant other = SharedContext.newTenant();
        record(4);
        assertEquals(0, quotas.usage(other.id()).itemsToday());
        assertEquals(4, quotas.usage(tenant.id()).itemsToday());
    }

    @Test
    void onlyBulkJobsQueuedOrRunningAreInFlight() {
        JobIntake queue = SharedContext.bean(JobIntake.class);
        List<NewItem> one = List.of(new NewItem(null, "1"));
        var bulk = queue.submit(tenant.id(), new NewJob(EchoJob.NAME, Priority.BULK, "{}", one));
        queue.submit(tenant.id(), new NewJob(EchoJob.NAME, Priority.BULK, "{}", one));
        queue.submit(tenant.id(), new NewJob(EchoJob.NAME, Priority.INTERACTIVE, "{}", one));
        assertEquals(2, quotas.usage(tenant.id()).inflightJobs());
        queue.cancel(tenant.id(), bulk.id());
        assertEquals(1, quotas.usage(tenant.id()).inflightJobs());
    }

    @Test
    void aTenantCannotSetItsOwnQuotas() {
        DataAccessException e = assertThrows(DataAccessException.class, () -> database.inTenant(tenant.id(), c -> {
            try (var insert = c.prepareStatement("INSERT INTO tenant_quotas (tenant_id, items_per_day) VALUES (?, 1)")) {
                insert.setObject(1, tenant.id());
                return insert.executeUpdate();
            }
        }));
        // refused by the grants (the app role may only read quotas); the policy would refuse it too
        assertEquals("42501", ((java.sql.SQLException) e.getCause()).getSQLState(), e.getMessage());
    }
}
