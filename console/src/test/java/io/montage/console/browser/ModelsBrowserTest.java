package io.montage.console.browser;

import io.montage.audit.AuditEntry;
import io.montage.audit.AuditFilter;
import io.montage.audit.AuditLog;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.models.ModelStatus;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;
import io.montage.testing.FakeBundle;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Registering bundles by path, following their validation by server push (the test gives the outcomes a worker's
 * smoke inference would: the console has no worker), the tenants' defaults, retiring. A real worker validating and
 * serving the demo bundle is the whole-flow test's (deploy/e2e).
 */
class ModelsBrowserTest extends AdminBrowserTest {

    @Test
    void aRegisteredBundleIsValidatedLiveShowsWhoUsesAndServesItAndCanBeRetired() throws IOException {
        ModelRegistry registry = Console.bean(ModelRegistry.class);
        String name = "console-model-" + UUID.randomUUID().toString().substring(0, 6);
        browser.open("models");
        Path first = FakeBundle.write(Files.createTempDirectory("bundle"), name, "1", "w");
        register(first);
        browser.awaitNotification(name + "@1 is registered");
        Model good = registry.find(name, "1").orElseThrow();
        browser.awaitText("model-status-" + good.id(), "validating");
        register(FakeBundle.write(Files.createTempDirectory("bundle"), name, "2", "other weights"));
        browser.awaitNotification(name + "@2 is registered");
        Model bad = registry.find(name, "2").orElseThrow();

        registry.markReady(good.id()); // what a worker's smoke inference ends with
        registry.markFailed(bad.id(), "the smoke inference returned 3 dimensions; the manifest says 8");
        Tenant tenant = Console.bean(TenantService.class).create("models-" + UUID.randomUUID().toString().substring(0, 6),
                "Models tenant");
        registry.setTenantDefault(tenant.id(), good.id());

        browser.awaitText("model-status-" + good.id(), "ready since");
        assertTrue(browser.awaitText("model-status-" + bad.id(), "failed").contains("returned 3 dimensions"));
        String table = browser.awaitText("models", tenant.slug());
        assertTrue(table.contains("clip, 8 dims"), table);
        browser.dismissNotifications();
        browser.screenshot("13-models");

        browser.click("retire-" + good.id());
        browser.awaitNotification(name + "@1 is retired");
        browser.awaitText("model-status-" + good.id(), "retired");
        assertEquals(ModelStatus.RETIRED, registry.find(good.id()).orElseThrow().status());
        AuditLog audit = Console.bean(AuditLog.class);
        assertEquals(AuditEntry.OK, audit.search(new AuditFilter(null, "model.retire", null, name + "@1")).getFirst().outcome());
        assertEquals("bundle " + first, audit.search(new AuditFilter(null, "model.register", AuditEntry.OK,
                first.toString())).getFirst().target());
    }

    @Test
    void aBrokenBundleIsRefusedWithWhatIsWrong() throws IOException {
        Path bundle = FakeBundle.write(Files.createTempDirectory("bundle"), "broken-model", "1", "w");
        Files.delete(bundle.resolve("tokenizer.json"));
        browser.open("models");
        register(bundle);
        String error = browser.awaitNotification("invalid_model_bundle");
        assertTrue(error.contains("tokenizer.json"), error);
        assertEquals(AuditEntry.FAILED, Console.bean(AuditLog.class)
                .search(new AuditFilter(null, "model.register", null, bundle.toString())).getFirst().outcome());
    }

    private static void register(Path bundle) {
        browser.type("model-source", bundle.toString());
        browser.click("register-model");
    }
}
