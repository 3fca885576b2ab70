package io.montage.console.browser;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Tests that need one browser with the test JVM's admin signed in, opened once per test class. */
abstract class AdminBrowserTest {

    static Browser browser;

    @BeforeAll
    static void signIn() {
        browser = new Browser(Console.url());
        browser.signIn(Console.admin(), Console.PASSWORD);
        browser.awaitText("dashboard-updated", "(live)");
    }

    @AfterAll
    static void closeBrowser() {
        browser.close();
    }
}
