package io.montage.console.browser;

import org.openqa.selenium.By;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Debian's headless Chromium driven by Selenium, with the flags that keep it off the (closed) network, a fresh
 * profile per browser, and helpers for Vaadin's components (their inputs are light-DOM children).
 */
final class Browser implements AutoCloseable {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target/screenshots");

    private final WebDriver driver;
    private final Path profile;
    private final String base;

    /** A browser for the test JVM's console. */
    Browser() {
        this(Console.url());
    }

    /** A browser for the console at {@code base} (http://host:port/). */
    Browser(String base) {
        this.base = base;
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            throw new IllegalStateException("the console's browser tests need Debian's chromium and chromium-driver: "
                    + "run deploy/local/setup-browser.sh (deploy/local/test.sh does)");
        }
        try {
            profile = Files.createTempDirectory("montage-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1440,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
        driver = new ChromeDriver(service, options);
    }

    WebDriver driver() {
        return driver;
    }

    void open(String path) {
        driver.get(base + path);
    }

    WebElement find(String id) {
        return waitFor().until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
    }

    boolean present(String id) {
        return !driver.findElements(By.id(id)).isEmpty();
    }

    /** Clicks once the element is there and clickable; a grid re-rendering it meanwhile just means another try. */
    void click(String id) {
        waitFor().ignoring(ElementClickInterceptedException.class)
                .until(d -> {
                    WebElement clickable = ExpectedConditions.elementToBeClickable(By.id(id)).apply(d);
                    if (clickable == null) {
                        return false;
                    }
                    clickable.click();
                    return true;
                });
    }

    /**
     * Clicks a button of a live table until {@code shown} has {@code text}: the table replaces its rows on each
     * refresh, and a click on a row just replaced is lost.
     */
    String clickLive(String id, String shown, String text) {
        return waitFor().until(d -> {
            click(id);
            return d.findElements(By.id(shown)).stream().map(WebElement::getText).filter(t -> t.contains(text))
                    .findFirst().orElse(null);
        });
    }

    /** Clicks something that leaves the page (a full reload): a plain click would wait for the page it ends. */
    void clickAndLeave(String id) {
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("arguments[0].click()", find(id));
    }

    /** Types into a Vaadin text field (its slotted input), replacing what was there. */
    void type(String id, String text) {
        WebElement input = waitFor().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#" + id + " input")));
        input.clear();
        input.sendKeys(text);
    }

    /** Empties a Vaadin text field with its clear button, as an operator would. */
    void clear(String id) {
        find(id).getShadowRoot().findElement(By.cssSelector("[part~='clear-button']")).click();
        waitFor().until(d -> value(id).isEmpty());
    }

    /** Picks the item labelled {@code label} in a Vaadin combo box: typed, which filters to it, then Enter. */
    void choose(String id, String label) {
        type(id, label);
        find(id).findElement(By.cssSelector("input")).sendKeys(org.openqa.selenium.Keys.ENTER);
        waitFor().until(d -> label.equals(value(id)));
    }

    String value(String id) {
        return find(id).findElement(By.cssSelector("input")).getDomProperty("value");
    }

    /** Waits until the element's text contains {@code text}; returns the whole text. */
    String awaitText(String id, String text) {
        // a live table rewrites its rows on each refresh: an element found just before that is gone, try again
        return waitFor().ignoring(StaleElementReferenceException.class).until(d -> {
            var found = d.findElements(By.id(id));
            String now = found.isEmpty() ? "" : found.get(0).getText();
            return now.contains(text) ? now : null;
        });
    }

    /** Waits for a notification containing {@code text}. */
    String awaitNotification(String text) {
        return waitFor().until(d -> d.findElements(By.tagName("vaadin-notification-card")).stream()
                .map(WebElement::getText).filter(t -> t.contains(text)).findFirst().orElse(null));
    }

    /** Closes the notifications on screen (before a screenshot they would cover). */
    void dismissNotifications() {
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
                "document.querySelectorAll('vaadin-notification').forEach(n => n.opened = false)");
        waitFor().until(d -> d.findElements(By.tagName("vaadin-notification-card")).isEmpty()); // faded out
    }

    void awaitPath(String path) {
        waitFor().until(ExpectedConditions.urlToBe(base + path));
    }

    String pageSource() {
        return driver.getPageSource();
    }

    /** target/screenshots/{name}.png: the README's tour and docs/screenshots/ use copies. */
    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void signIn(String username, String password) {
        open("login");
        type("username", username);
        type("password", password);
        click("sign-in");
    }

    /** A wait that reads the page again when Vaadin re-rendered an element between finding and reading it. */
    FluentWait<WebDriver> waitFor() {
        return new WebDriverWait(driver, Duration.ofSeconds(20)).ignoring(StaleElementReferenceException.class);
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a profile left in /tmp is harmless
        }
    }
}
