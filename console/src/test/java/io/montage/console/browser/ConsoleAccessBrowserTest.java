package io.montage.console.browser;

import io.micronaut.context.ApplicationContext;
import io.montage.audit.AuditEntry;
import io.montage.audit.AuditFilter;
import io.montage.audit.AuditLog;
import io.montage.admins.AdminUser;
import io.montage.console.hosting.ConsoleServer;
import io.montage.tenants.TenantService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Cookie;

import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who may do what, seen in a browser: wrong passwords, lockouts, a viewer's changes, the session cookie, expiry. */
class ConsoleAccessBrowserTest {

    private static Browser browser;

    @BeforeAll
    static void openBrowser() {
        Console.context();
        browser = new Browser(Console.url());
    }

    @AfterAll
    static void closeBrowser() {
        browser.close();
    }

    @Test
    void aWrongPasswordSaysSoWithoutSayingWhichHalfWasWrong() {
        String user = Console.account(AdminUser.ADMIN);
        browser.signIn(user, "not the password");
        assertEquals("Wrong username or password.", browser.awaitText("login-error", "Wrong"));
        browser.signIn("nobody-" + UUID.randomUUID().toString().substring(0, 6), Console.PASSWORD);
        assertEquals("Wrong username or password.", browser.awaitText("login-error", "Wrong"));
    }

    @Test
    void repeatedFailuresLockTheUserOutFromThisClientEvenWithTheRightPassword() {
        String user = Console.account(AdminUser.ADMIN);
        for (int i = 0; i < Console.MAX_FAILURES; i++) {
            browser.signIn(user, "guess " + i);
            browser.awaitText("login-error", "Wrong");
        }
        browser.signIn(user, Console.PASSWORD);
        assertTrue(browser.awaitText("login-error", "Too many failed sign-ins").contains("Try again in 15 minutes"));
        browser.screenshot("08-login-throttled");
        assertEquals(AuditEntry.DENIED, Console.bean(AuditLog.class)
                .search(new AuditFilter(user, "console.sign-in", null, null)).getFirst().outcome());
    }

    @Test
    void aViewerLooksButCannotChangeAndTheAttemptIsLogged() {
        String viewer = Console.account(AdminUser.VIEWER);
        browser.signIn(viewer, Console.PASSWORD);
        browser.awaitText("operator", viewer + " (viewer)");
        browser.open("tenants");
        String slug = "viewer-" + UUID.randomUUID().toString().substring(0, 6);
        browser.type("new-tenant-slug", slug);
        browser.click("create-tenant");
        assertTrue(browser.awaitNotification("can look but not change").contains("Your role (viewer)"));
        browser.screenshot("09-viewer-denied");
        assertTrue(Console.bean(TenantService.class).findBySlug(slug).isEmpty(), "nothing was created");
        AuditEntry denied = Console.bean(AuditLog.class).search(new AuditFilter(viewer, "tenant.create", null, null))
                .getFirst();
        assertEquals(AuditEntry.DENIED, denied.outcome());
        browser.clickAndLeave("sign-out");
        browser.find("sign-in");
    }

    @Test
    void theSessionCookieIsHttpOnlyAndSameSiteStrict() {
        browser.open("login");
        browser.find("sign-in");
        Cookie session = browser.driver().manage().getCookieNamed("MONTAGE_CONSOLE");
        assertTrue(session.isHttpOnly(), "HttpOnly");
        assertEquals("Strict", session.getSameSite());
    }

    @Test
    void anIdleSessionEndsWithAClearMessage() throws InterruptedException {
        ApplicationContext shortSessions = Console.start(Map.of("montage.console.session-timeout", "3s"));
        try (Browser idle = new Browser(shortSessions.getBean(ConsoleServer.class).url())) {
            idle.signIn(Console.admin(), Console.PASSWORD);
            idle.awaitText("operator", Console.admin());
            idle.awaitText("dashboard-updated", "(live)"); // its live updates are no activity of the operator's
            Thread.sleep(5000); // no request but heartbeats for longer than the timeout
            idle.waitFor().until(d -> d.getPageSource().contains("Your session has ended"));
            idle.screenshot("10-session-ended");
            idle.open("tenants");
            idle.awaitPath("login");
        } finally {
            shortSessions.close();
        }
    }
}
