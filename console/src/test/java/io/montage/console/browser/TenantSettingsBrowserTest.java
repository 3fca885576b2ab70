package io.montage.console.browser;

import io.montage.admins.AdminUser;
import io.montage.audit.AuditEntry;
import io.montage.audit.AuditFilter;
import io.montage.audit.AuditLog;
import io.montage.datasets.ClassFolders;
import io.montage.datasets.DatasetImporter;
import io.montage.datasets.DatasetKind;
import io.montage.datasets.DatasetSpace;
import io.montage.evaluation.GateMetric;
import io.montage.evaluation.GatePolicy;
import io.montage.evaluation.promotion.Promotions;
import io.montage.evaluation.promotion.TenantGate;
import io.montage.evaluation.promotion.TenantGates;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.quotas.QuotaOverrides;
import io.montage.quotas.Quotas;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;
import io.montage.testing.FakeBundle;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Editing a tenant's quotas (each its own value or the default), promotion gate and default model: a bad value is
 * refused under its field, a viewer is refused, a switch the gate refuses goes ahead only with a reason, and the
 * audit log shows each change as before → after, the gate's decision and the override.
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

    @Test
    void aSwitchTheGateRefusesShowsItsDecisionAndGoesAheadOnlyWithAReason() throws IOException {
        Model incumbent = readyModel();
        Model candidate = readyModel();
        ModelRegistry registry = Console.bean(ModelRegistry.class);
        registry.setTenantDefault(tenant.id(), incumbent.id());
        Path folders = Files.createTempDirectory("gate-set");
        Files.createDirectories(folders.resolve("dot"));
        ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", folders.resolve("dot/1.png").toFile());
        Console.bean(DatasetImporter.class).importInto(DatasetSpace.of(tenant.id()), "gate-set",
                DatasetKind.CLASSIFICATION, new ClassFolders(folders));

        browser.open("tenants");
        browser.click("edit-" + tenant.slug());
        browser.click("gate-enabled");
        browser.type("gate-margin", "two");
        browser.click("save-tenant-settings");
        browser.awaitText("gate-dataset", "Choose the dataset the gate compares on");
        browser.choose("gate-dataset", "gate-set");
        browser.click("save-tenant-settings");
        browser.awaitText("gate-margin", "Enter a number between -1 and 1");
        browser.type("gate-margin", "0.005");
        browser.choose("tenant-default-model", candidate.reference());
        browser.click("save-tenant-settings");
        // the gate is saved first; no run of either model on gate-set, so the switch is refused with the reason
        assertTrue(browser.awaitNotification("no_candidate_evaluation").contains("evaluate " + candidate.reference()
                + " on the gate dataset gate-set v1 first"));
        assertEquals(new TenantGate(true, "gate-set", false,
                new GatePolicy(GateMetric.TOP1_ACCURACY, 0.005), false),
                Console.bean(TenantGates.class).of(tenant.id()).orElseThrow());
        assertEquals(incumbent.id(), registry.tenantDefault(tenant.id()).orElseThrow().id(), "refused: no switch");
        assertTrue(browser.awaitText("gate-decision", "The promotion gate refuses this switch")
                .contains("candidate run none"));

        browser.type("gate-override-reason", "the incumbent is being retired");
        browser.click("save-tenant-settings");
        browser.awaitNotification("Tenant " + tenant.slug() + " saved");
        assertEquals(candidate.id(), registry.tenantDefault(tenant.id()).orElseThrow().id(), "overridden");

        AuditLog audit = Console.bean(AuditLog.class);
        String target = "tenant " + tenant.slug();
        List<AuditEntry> decisions = audit.search(new AuditFilter(null, Promotions.DECISION, null, tenant.slug()));
        assertEquals(List.of(AuditEntry.FAILED, AuditEntry.FAILED), decisions.stream().map(AuditEntry::outcome)
                .toList(), "the refusal and the overridden one");
        assertTrue(decisions.getFirst().detail().startsWith("no_candidate_evaluation: "), decisions.getFirst().detail());
        AuditEntry override = audit.search(new AuditFilter(null, Promotions.OVERRIDE, null, tenant.slug())).getFirst();
        assertEquals(target, override.target());
        assertEquals("overrode no_candidate_evaluation: the incumbent is being retired", override.detail());
        AuditEntry gate = audit.search(new AuditFilter(null, "tenant.set-promotion-gate", null, tenant.slug()))
                .getFirst();
        assertEquals("none → on, gate-set, top1_accuracy margin 0.005", gate.detail());
    }

    private static Model readyModel() throws IOException {
        ModelRegistry registry = Console.bean(ModelRegistry.class);
        String name = "quota-model-" + UUID.randomUUID().toString().substring(0, 6);
        Model model = registry.register(FakeBundle.write(Files.createTempDirectory("bundle"), name, "1", "w").toString());
        registry.markReady(model.id());
        return model;
    }
}
