package io.montage.console.browser;

import io.montage.admins.AdminUser;
import io.montage.audit.AuditEntry;
import io.montage.audit.AuditFilter;
import io.montage.audit.AuditLog;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.quotas.QuotaOverrides;
import io.montage.quotas.Quotas;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;
import io.montage.testing.FakeBundle;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Editing a tenant's quotas (each its own value or the default) and default model: a bad value is refused under
 * its field, a viewer is refused, and the audit log shows each change as before → after.
 */
class TenantSettingsBrowserTest extends AdminBrowserTest {

    private final Quotas quotas = Console.bean(Quotas.class);
    private final Tenant tenant = Console.bean(TenantService.class)
            .create("quota-" + UUID.randomUUID().toString().substring(0, 6), "Quota Co");

    @Test
    void anAdminSetsQuotasAndTheDefaultModelAndFindsBothInTheAuditLog() throws IOException {
        Model model = readyModel();
        quotas.set(tenant.id(), new QuotaOverrides(null, null, null, 120, null));
        browser.open("tenants");
        browser.click("edit-" + tenant.slug());
        assertEquals("120", browser.value("quota-requests_per_minute"), "its own value is shown");
        assertEquals("", browser.value("quota-burst"), "a default is an empty field");

        browser.type("quota-burst", "lots");
        browser.type("quota-inflight_jobs", "-1");
        browser.click("save-tenant-settings");
        assertTrue(browser.awaitText("quota-burst", "Enter a whole number of at least 1, or leave it empty for the "
                + "default (100)").contains("Burst"));
        browser.awaitText("quota-inflight_jobs", "Enter a whole number of at least 0");
        browser.screenshot("17-tenant-settings");
        assertEquals(new QuotaOverrides(null, null, null, 120, null), quotas.own(tenant.id()), "nothing saved");

        browser.type("quota-burst", "250");
        browser.type("quota-inflight_jobs", "3");
        browser.type("quota-items_per_day", "50,000");
        browser.clear("quota-requests_per_minute"); // back to the default
        browser.choose("tenant-default-model", model.reference());
        browser.click("save-tenant-settings");
        browser.awaitNotification("Tenant " + tenant.slug() + " saved");

        assertEquals(new QuotaOverrides(50_000L, 3, null, null, 250), quotas.own(tenant.id()));
        assertEquals(model.id(), Console.bean(ModelRegistry.class).tenantDefault(tenant.id()).orElseThrow().id());
        String row = browser.awaitText("tenants", "0 / 50,000");
        assertTrue(row.contains(model.reference()) && row.contains("600/min, burst 250"), row);

        browser.open("audit");
        browser.type("audit-text", tenant.slug());
        String log = browser.awaitText("audit", "tenant.set-default-model");
        assertTrue(log.contains("items_per_day default → 50,000, inflight_jobs default → 3, "
                + "requests_per_minute 120 → default, burst default → 250"), log);
        assertTrue(log.contains("model none → " + model.reference()), log);
    }

    @Test
    void aViewerMayLookAtTheQuotasButNotChangeThem() {
        String viewer = Console.account(AdminUser.VIEWER);
        try (Browser viewers = new Browser(Console.url())) {
            viewers.signIn(viewer, Console.PASSWORD);
            viewers.awaitText("operator", viewer + " (viewer)");
            viewers.open("tenants");
            viewers.click("edit-" + tenant.slug());
            viewers.type("quota-burst", "5");
            viewers.click("save-tenant-settings");
            assertTrue(viewers.awaitNotification("can look but not change").contains("Your role (viewer)"));
        }
        assertEquals(QuotaOverrides.NONE, quotas.own(tenant.id()), "nothing changed");
        AuditEntry denied = Console.bean(AuditLog.class)
                .search(new AuditFilter(viewer, "tenant.set-quotas", null, null)).getFirst();
        assertEquals(AuditEntry.DENIED, denied.outcome());
        assertEquals("tenant " + tenant.slug(), denied.target());
    }

    private static Model readyModel() throws IOException {
        ModelRegistry registry = Console.bean(ModelRegistry.class);
        String name = "quota-model-" + UUID.randomUUID().toString().substring(0, 6);
        Model model = registry.register(FakeBundle.write(Files.createTempDirectory("bundle"), name, "1", "w").toString());
        registry.markReady(model.id());
        return model;
    }
}
