package io.montage.console.browser;

import io.montage.apikeys.ApiKeyService;
import io.montage.apikeys.KeyCheck;
import io.montage.apikeys.KeyRejection;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An admin's session in a real browser, step by step: sign in, create a tenant and a key (its secret shown once),
 * revoke the key and suspend the tenant (and the key check refuses at once), find each change in the audit log,
 * sign out. Each view is saved as a screenshot.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleFlowBrowserTest {

    private static final String SLUG = "acme-" + UUID.randomUUID().toString().substring(0, 6);
    private static Browser browser;
    private static String admin;
    private static String firstSecret;
    private static String secondSecret;

    @BeforeAll
    static void openBrowser() {
        admin = Console.admin();
        browser = new Browser(Console.url());
    }

    @AfterAll
    static void closeBrowser() {
        browser.close();
    }

    @Test
    @Order(1)
    void signedOutVisitorsSeeTheLoginPage() {
        browser.open("tenants");
        browser.find("sign-in");
        browser.awaitPath("login");
        browser.screenshot("01-login");
    }

    @Test
    @Order(2)
    void anAdminSignsInToTheDashboard() {
        browser.signIn(admin, Console.PASSWORD);
        browser.awaitText("operator", admin + " (admin)");
        browser.awaitText("dashboard-updated", "(live)");
        browser.find("queue");
        browser.find("workers");
    }

    @Test
    @Order(3)
    void anAdminCreatesATenant() {
        browser.open("tenants");
        browser.type("new-tenant-slug", SLUG);
        browser.type("new-tenant-name", "Acme Corp");
        browser.click("create-tenant");
        browser.awaitNotification("Tenant " + SLUG + " created");
        String row = browser.awaitText("tenants", SLUG);
        assertTrue(row.contains("Acme Corp") && row.contains("active"), row);
        assertTrue(row.contains("/min, burst"), "quotas are shown: " + row);
        browser.screenshot("03-tenants");
    }

    @Test
    @Order(4)
    void aNewKeysSecretIsShownOnceWithACopyButtonAndAWarning() {
        browser.click("keys-" + SLUG);
        browser.awaitText("keys-title", "API keys of " + SLUG);
        firstSecret = createKey("ci pipeline");
        browser.screenshot("04-new-key-secret");
        browser.click("close-secret");
        browser.waitFor().until(d -> !browser.present("new-key-secret"));
        assertFalse(browser.pageSource().contains(firstSecret), "the secret is gone from the page once closed");
        browser.awaitText("keys", "ci pipeline");
        assertInstanceOf(KeyCheck.Accepted.class, Console.bean(ApiKeyService.class).check(firstSecret));
        secondSecret = createKey("batch jobs");
        browser.click("close-secret");
        browser.screenshot("05-api-keys");
    }

    @Test
    @Order(5)
    void aRevokedKeyIsRefusedAtOnce() {
        Tenant tenant = Console.bean(TenantService.class).requireBySlug(SLUG);
        var key = Console.bean(ApiKeyService.class).list(tenant.id()).stream()
                .filter(k -> k.name().equals("ci pipeline")).findFirst().orElseThrow();
        browser.click("revoke-" + key.id());
        browser.awaitNotification("is revoked");
        assertEquals(new KeyCheck.Rejected(KeyRejection.REVOKED), Console.bean(ApiKeyService.class).check(firstSecret));
        browser.awaitText("keys", "revoked");
    }

    @Test
    @Order(6)
    void aSuspendedTenantsOtherKeysAreRefusedAtOnce() {
        browser.open("tenants");
        browser.click("suspend-" + SLUG);
        browser.awaitNotification("is suspended");
        assertEquals(new KeyCheck.Rejected(KeyRejection.TENANT_SUSPENDED),
                Console.bean(ApiKeyService.class).check(secondSecret));
        browser.find("resume-" + SLUG);
    }

    @Test
    @Order(7)
    void everyChangeIsInTheAuditLog() {
        browser.open("audit");
        browser.type("audit-actor", admin);
        String log = browser.awaitText("audit", "tenant.suspend");
        for (String action : new String[]{"console.sign-in", "tenant.create", "key.create", "key.revoke", "tenant.suspend"}) {
            assertTrue(log.contains(action), action + " in " + log);
        }
        assertTrue(log.contains("tenant " + SLUG), log);
        assertFalse(log.contains(secondSecret), "no secret in the audit log");
        browser.screenshot("06-audit-log");
    }

    @Test
    @Order(8)
    void placesForTheNextScreensAreInTheNavigation() {
        browser.open("evaluations");
        browser.awaitText("next-plan", "evaluation issue");
        browser.screenshot("07-evaluations-next");
    }

    @Test
    @Order(9)
    void signingOutEndsTheSession() {
        browser.clickAndLeave("sign-out");
        browser.find("sign-in");
        browser.open("audit");
        browser.awaitPath("login");
        assertTrue(browser.driver().findElements(By.id("audit")).isEmpty());
    }

    private static String createKey(String name) {
        browser.type("new-key-name", name);
        browser.click("create-key");
        browser.find("new-key-warning");
        assertTrue(browser.find("new-key-warning").getText().contains("shown this once"));
        browser.find("copy-key");
        String secret = browser.value("new-key-secret");
        assertTrue(secret.startsWith("mtg_live_"), secret);
        return secret;
    }
}
