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
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * Debian's headless Chromium driven by Selenium, with the flags that keep it off the (closed) network, a fresh
 * profile per browser, and helpers for Vaadin's components (their inputs are light-DOM children). Public for the
 * whole-flow test of the packaged console (deploy/e2e), which uses it from this module's test-jar.
 */
public final class Browser implements AutoCloseable {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target/screenshots");
    /** A grid's rendered rows in order and the cells slotted into each (see {@link #rows}). */
    private static final String GRID_ROWS = "const rows = grid => Array.from(grid.shadowRoot.querySelectorAll('#items tr'))"
            + ".filter(tr => !tr.hidden && tr.index < grid.size).sort((a, b) => a.index - b.index);"
            + "const cells = tr => Array.from(tr.querySelectorAll('slot')).map(s => s.assignedElements()[0])"
            + ".filter(c => c);";
    private static final String ROWS = GRID_ROWS + "return rows(arguments[0]).map(tr => cells(tr)"
            + ".map(c => c.textContent.trim()).join(' | '));";
    private static final String ID_IN_ROW = GRID_ROWS + "const row = rows(arguments[0]).find(tr => cells(tr)"
            + ".some(c => c.textContent.includes(arguments[1])));"
            + "const found = row && cells(row).flatMap(c => Array.from(c.querySelectorAll('[id]')))"
            + ".find(e => e.id.startsWith(arguments[2]));"
            + "return found ? found.id : null;";
    private static final String CELL = GRID_ROWS + "return rows(arguments[0]).flatMap(cells)"
            + ".find(c => c.textContent.trim() === arguments[1]) || null;";

    private final WebDriver driver;
    private final Path profile;
    private final String base;

    /** A browser for the console at {@code base} (http://host:port/). */
    public Browser(String base) {
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

    public WebDriver driver() {
        return driver;
    }

    public void open(String path) {
        driver.get(base + path);
    }

    public WebElement find(String id) {
        // a lookup while the page navigates (after clickAndLeave) is aborted by Chrome; the next poll sees the new page
        return waitFor().ignoring(WebDriverException.class)
                .until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
    }

    public boolean present(String id) {
        return !driver.findElements(By.id(id)).isEmpty();
    }

    /** Clicks once the element is there and clickable; a grid re-rendering it meanwhile just means another try. */
    public void click(String id) {
        waitFor().ignoring(ElementClickInterceptedException.class).ignoring(StaleElementReferenceException.class)
                .until(d -> {
                    WebElement clickable = ExpectedConditions.elementToBeClickable(By.id(id)).apply(d);
                    if (clickable == null) {
                        return false;
                    }
                    // WebDriver scrolls only until the element's edge shows: a grid row's button at the window's
                    // bottom edge is then covered by the grid's own frame (ElementClickInterceptedException for good)
                    script("arguments[0].scrollIntoView({block: 'center'})", clickable);
                    // a grid recycles its row elements as it scrolls: the element found before the scroll may now
                    // render another row (its button another id), so the click goes to the one that has the id now
                    WebElement target = d.findElement(By.id(id));
                    if (!clickable.equals(target)) {
                        return false;
                    }
                    target.click();
                    return true;
                });
    }

    /** Runs JavaScript in the page; {@code arguments[i]} are {@code args[i]} (elements become DOM nodes). */
    public Object script(String javaScript, Object... args) {
        return ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(javaScript, args);
    }

    /** Clicks something that leaves the page (a full reload): a plain click would wait for the page it ends. */
    public void clickAndLeave(String id) {
        script("arguments[0].click()", find(id));
    }

    /** Types into a Vaadin text field (its slotted input), replacing what was there. */
    public void type(String id, String text) {
        WebElement input = waitFor().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#" + id + " input")));
        input.clear();
        input.sendKeys(text);
    }

    /** Waits until a Vaadin field's input holds a value containing {@code text} (e.g. a combo box filled on entry). */
    public void awaitValue(String id, String text) {
        waitFor().until(d -> value(id).contains(text));
    }

    /**
     * Picks {@code files} in a vaadin-upload: its file input lives in the component's shadow DOM. Several files go in
     * one pick: ChromeDriver adds each pick to the files picked before, so a second pick would send the first again.
     */
    public void upload(String id, Path... files) {
        find(id).getShadowRoot().findElement(By.cssSelector("input[type=file]")).sendKeys(String.join("\n",
                java.util.Arrays.stream(files).map(f -> f.toAbsolutePath().toString()).toList()));
    }

    /**
     * Sends {@code bytes} zero bytes to a Vaadin upload's target as a client that ignores the component's limits
     * would (with this session's cookie, outside the component); returns the HTTP status.
     */
    public long uploadBypassingTheComponent(String id, String fileName, int bytes) {
        return (Long) ((org.openqa.selenium.JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[0].target, {method: 'POST', body: new Uint8Array(arguments[2]),
                       headers: {'X-Filename': encodeURIComponent(arguments[1]), 'Content-Type': 'application/zip'}})
                    .then(response => done(response.status), () => done(0));
                """, find(id), fileName, bytes);
    }

    /** Empties a Vaadin text field with its clear button, as an operator would. */
    public void clear(String id) {
        find(id).getShadowRoot().findElement(By.cssSelector("[part~='clear-button']")).click();
        waitFor().until(d -> value(id).isEmpty());
    }

    /** Picks the item labelled {@code label} in a Vaadin combo box: typed, which filters to it, then Enter. */
    public void choose(String id, String label) {
        type(id, label);
        find(id).findElement(By.cssSelector("input")).sendKeys(org.openqa.selenium.Keys.ENTER);
        waitFor().until(d -> label.equals(value(id)));
    }

    /**
     * Picks {@code label} in a Vaadin multi-select combo box: typed (which filters to it) and Enter; then its list is
     * closed (it stays open for more picks, and covers what lies below).
     */
    public void pick(String id, String label) {
        type(id, label);
        find(id).findElement(By.cssSelector("input")).sendKeys(org.openqa.selenium.Keys.ENTER);
        waitFor().until(d -> find(id).getText().contains(label));
        script("arguments[0].opened = false", find(id));
        waitFor().until(d -> "false".equals(String.valueOf(find(id).getDomProperty("opened"))));
    }

    /** What a link downloads, fetched in the browser's session (headless Chromium saves no files here). */
    public String download(String id) {
        return download(id, "t");
    }

    /**
     * {@code expression}, JavaScript of {@code t}, the text the link downloads: for what Selenium would change on
     * its way back (it hands strings back with bare line feeds).
     */
    public String download(String id, String expression) {
        String href = find(id).getDomAttribute("href");
        return String.valueOf(((org.openqa.selenium.JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0]).then(r => r.text()).then(t => done(" + expression + "), "
                        + "e => done('failed: ' + e))", href));
    }

    public String value(String id) {
        return find(id).findElement(By.cssSelector("input")).getDomProperty("value");
    }

    /**
     * Waits until the element's text contains {@code text}; returns the whole text. A timeout says what the element
     * showed last.
     */
    public String awaitText(String id, String text) {
        String[] last = {"(no element #" + id + ")"};
        // a live table rewrites its rows on each refresh: an element found just before that is gone, try again
        return waitFor().ignoring(StaleElementReferenceException.class)
                .withMessage(() -> "#" + id + " never showed '" + text + "'; it showed: " + last[0])
                .until(d -> {
                    var found = d.findElements(By.id(id));
                    String now = found.isEmpty() ? "" : found.get(0).getText();
                    if (!found.isEmpty()) {
                        last[0] = now;
                    }
                    return now.contains(text) ? now : null;
                });
    }

    /**
     * Waits until the element's DOM text (textContent: laid out or not) contains {@code text}; for what a view
     * renders where the window's layout may clip it.
     */
    public String awaitContent(String id, String text) {
        String[] last = {"(no element #" + id + ")"};
        return waitFor().ignoring(StaleElementReferenceException.class)
                .withMessage(() -> "#" + id + " never held '" + text + "'; it held: " + last[0])
                .until(d -> {
                    var found = d.findElements(By.id(id));
                    String now = found.isEmpty() ? "" : found.get(0).getDomProperty("textContent");
                    if (!found.isEmpty()) {
                        last[0] = now;
                    }
                    return now != null && now.contains(text) ? now : null;
                });
    }

    /** Waits for a notification containing {@code text}. */
    public String awaitNotification(String text) {
        return waitFor().until(d -> d.findElements(By.tagName("vaadin-notification-card")).stream()
                .map(WebElement::getText).filter(t -> t.contains(text)).findFirst().orElse(null));
    }

    /** Closes the notifications on screen (before a screenshot they would cover). */
    public void dismissNotifications() {
        script("document.querySelectorAll('vaadin-notification').forEach(n => n.opened = false)");
        waitFor().until(d -> d.findElements(By.tagName("vaadin-notification-card")).isEmpty()); // faded out
    }

    public void awaitPath(String path) {
        waitFor().until(ExpectedConditions.urlToBe(base + path));
    }

    public String pageSource() {
        return driver.getPageSource();
    }

    /** {@link #screenshot(String)} of a window {@code height} pixels tall, for a view longer than the usual window. */
    void screenshot(String name, int height) {
        org.openqa.selenium.Dimension usual = driver.manage().window().getSize();
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(usual.getWidth(), height));
        try {
            screenshot(name);
        } finally {
            driver.manage().window().setSize(usual);
        }
    }

    /** target/screenshots/{name}.png: the README's tour and docs/screenshots/ use copies. */
    public void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void signIn(String username, String password) {
        open("login");
        type("username", username);
        type("password", password);
        click("sign-in");
    }

    /**
     * The rows a Vaadin grid shows, top to bottom, each its cells' texts joined by " | ". A grid's cells are
     * light-DOM children slotted into rows of its shadow DOM, in no particular order: the rows say which is where.
     */
    @SuppressWarnings("unchecked")
    public List<String> rows(String gridId) {
        return (List<String>) script(ROWS, find(gridId));
    }

    /** The id of the element whose id starts with {@code idPrefix} in the grid row that contains {@code rowText}. */
    public String idInRow(String gridId, String rowText, String idPrefix) {
        return waitFor().until(d -> (String) script(ID_IN_ROW, find(gridId), rowText, idPrefix));
    }

    /** The grid's cell whose whole text is {@code text} (to click a row, say). */
    public WebElement cell(String gridId, String text) {
        return waitFor().until(d -> (WebElement) script(CELL, find(gridId), text));
    }

    /** A wait that reads the page again when Vaadin re-rendered an element between finding and reading it. */
    public FluentWait<WebDriver> waitFor() {
        return waitFor(Duration.ofSeconds(20));
    }

    /** The same, for something slower than a page update (a worker validating a model, a bulk job). */
    public FluentWait<WebDriver> waitFor(Duration timeout) {
        return new WebDriverWait(driver, timeout).ignoring(StaleElementReferenceException.class);
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
