package io.montage.console.browser;

import com.sun.net.httpserver.HttpServer;
import io.micronaut.context.ApplicationContext;
import io.montage.audit.AuditEntry;
import io.montage.audit.AuditFilter;
import io.montage.audit.AuditLog;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.console.hosting.ConsoleServer;
import io.montage.models.ModelStatus;
import io.montage.models.ModelVariant;
import io.montage.models.ModelsConfig;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;
import io.montage.testing.FakeBundle;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Registering bundles by path, URL and upload (a hostile one too), following their validation by server push (the
 * test gives the outcomes a worker's smoke inference would: the console has no worker), a version's details, the
 * tenants' defaults, retiring. A real worker validating and serving the demo bundle is the whole-flow test's
 * (deploy/e2e).
 */
class ModelsBrowserTest extends AdminBrowserTest {

    private static final Path DEMO_BUNDLE = Path.of("..", "deploy", "models", "fashion-clip-mini");

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

        Tenant tenant = readyAsDefault(good);
        registry.markFailed(bad.id(), "the smoke inference returned 3 dimensions; the manifest says 8");

        browser.awaitText("model-status-" + good.id(), "ready since");
        assertTrue(browser.awaitText("model-status-" + bad.id(), "failed").contains("returned 3 dimensions"));
        String table = browser.awaitText("models", tenant.slug());
        assertTrue(table.contains("clip, 8 dims"), table);
        browser.click("details-" + good.id());
        String versions = browser.awaitText("model-details", "1 (ready)");
        assertTrue(versions.contains("2 (failed)") && versions.contains(tenant.slug()), versions);
        browser.click("model-version-" + bad.id());
        assertTrue(browser.awaitText("model-details", name + "@2").contains("returned 3 dimensions"));
        browser.click("close-model-details");
        browser.waitFor().until(d -> !browser.find("model-details").isDisplayed());

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

    @Test
    void anUploadedBundleIsRegisteredAndItsDetailsSpellOutTheManifest() throws IOException {
        ModelRegistry registry = Console.bean(ModelRegistry.class);
        Path zip = FakeBundle.zip(DEMO_BUNDLE, Files.createTempDirectory("upload").resolve("fashion-clip-mini.zip"),
                "");
        browser.open("models");
        browser.upload("model-upload", zip);
        browser.awaitNotification("fashion-clip-mini@1.0.0 is registered");
        Model model = registry.find("fashion-clip-mini", "1.0.0").orElseThrow();
        assertEquals("upload fashion-clip-mini.zip", model.source());
        assertTrue(Files.isRegularFile(model.bundlePath().resolve("model.pt")), "the store has the verified copy");
        assertEquals(List.of(), FakeBundle.leftInStaging(Console.bean(ModelsConfig.class)), "the upload is deleted");
        assertEquals(AuditEntry.OK, Console.bean(AuditLog.class).search(new AuditFilter(null, "model.register", null,
                "bundle upload fashion-clip-mini.zip")).getFirst().outcome());

        Tenant shop = readyAsDefault(model);
        browser.awaitText("model-status-" + model.id(), "ready since");
        browser.click("details-" + model.id());
        String details = browser.awaitText("model-details", "no live worker");
        for (String fact : List.of("128 dimensions, L2-normalized, logit scale 13.324265, fp32",
                "L (1 channel); resize shortest_edge to 28 px, bicubic; crop center 28² px (offset round)",
                "normalize mean [0.286], std [0.353]", "tokenizer tokenizer.json, 16 tokens (padded with id 0)",
                "pytorch: model.pt (encode_image, encode_text)", "“a photo of a {}.”", "1.0.0 (ready)", shop.slug(),
                "from upload fashion-clip-mini.zip", "model.pt " + model.manifest().files().get("model.pt"))) {
            assertTrue(details.contains(fact), fact + " is missing from " + details);
        }
        browser.dismissNotifications();
        browser.screenshot("13-models-upload"); // docs/screenshots/13-models.png is the whole flow's (a real worker)
    }

    /**
     * The demo's int8 variant (deploy/models/make_variants.py), registered by path as its own version: its details
     * say what it derives from and carry the fidelity and speed its manifest records, as measured numbers.
     */
    @Test
    void aVariantsDetailsShowWhatItDerivesFromAndItsMeasuredFidelity() {
        ModelRegistry registry = Console.bean(ModelRegistry.class);
        Path int8 = DEMO_BUNDLE.resolveSibling("fashion-clip-mini-int8").toAbsolutePath().normalize();
        browser.open("models");
        register(int8);
        browser.awaitNotification("fashion-clip-mini@1.0.0-int8 is registered");
        Model model = registry.find("fashion-clip-mini", "1.0.0-int8").orElseThrow();
        readyAsDefault(model);
        browser.awaitText("model-status-" + model.id(), "ready since");
        browser.click("details-" + model.id());
        String details = browser.awaitText("model-details", "Fidelity (measured)");
        ModelVariant.Fidelity fidelity = model.manifest().variant().fidelity();
        for (String fact : List.of("int8 of fashion-clip-mini@1.0.0 (model.pt "
                        + model.manifest().variant().of().modelSha256() + ")", "128 dimensions, L2-normalized",
                "image min " + fidelity.imageCosineMin() + " / mean " + fidelity.imageCosineMean(),
                "text min " + fidelity.textCosineMin(), "reference/embeddings.json: 18 images, 9 texts",
                "kernels onednn", "Speed (measured)", "× fp32)", "image: B=1 ")) {
            assertTrue(details.contains(fact), fact + " is missing from " + details);
        }
        browser.dismissNotifications();
        browser.screenshot("25-model-variant");
    }

    @Test
    void everyVersionShowsItsEngineAndAnOnnxBundleNamesItsGraphs() throws IOException {
        ModelRegistry registry = Console.bean(ModelRegistry.class);
        browser.open("models");
        Path torch = FakeBundle.write(Files.createTempDirectory("bundle"),
                "console-engine-" + UUID.randomUUID().toString().substring(0, 6), "1", "w");
        register(torch);
        register(DEMO_BUNDLE.resolveSibling("fashion-clip-mini-onnx").toAbsolutePath().normalize());
        browser.awaitNotification("fashion-clip-mini@1.0.0-onnx is registered");
        Model onnx = registry.find("fashion-clip-mini", "1.0.0-onnx").orElseThrow();
        registry.markReady(onnx.id());
        browser.awaitText("model-status-" + onnx.id(), "ready since");
        String table = browser.awaitText("models", "onnxruntime");
        assertTrue(table.contains("pytorch"), "the TorchScript bundle's engine too: " + table);
        browser.click("details-" + onnx.id());
        // DOM text: after the other browser tests' models, Chromium clipped the details' facts in one run (their
        // visible text was the version buttons alone); what is checked here is what the panel says
        browser.awaitContent("model-details", "onnxruntime: image image.onnx, text text.onnx");
        browser.dismissNotifications();
        browser.screenshot("23-models-engines");
    }

    @Test
    void anUploadThatIsNoBundleIsRefusedByItsName() throws IOException {
        Path notes = Files.writeString(Files.createTempDirectory("upload").resolve("notes.zip"), "notes, no bundle");
        browser.open("models");
        browser.upload("model-upload", notes);
        String error = browser.awaitNotification("unsupported_bundle_archive");
        assertTrue(error.contains("notes.zip is none of them"), error);
        assertEquals(AuditEntry.FAILED, Console.bean(AuditLog.class).search(new AuditFilter(null, "model.register",
                null, "bundle upload notes.zip")).getFirst().outcome());
        assertEquals(List.of(), FakeBundle.leftInStaging(Console.bean(ModelsConfig.class)));
    }

    @Test
    void anUploadOverTheBundleLimitIsRefusedByTheBrowserAndCutOffByTheServer() throws IOException {
        ApplicationContext small = Console.start(Map.of("montage.models.max-bundle-bytes", 64 * 1024));
        try (Browser limited = new Browser(small.getBean(ConsoleServer.class).url())) {
            limited.signIn(Console.admin(), Console.PASSWORD);
            limited.awaitText("dashboard-updated", "(live)");
            limited.open("models");
            limited.upload("model-upload", Files.write(Files.createTempDirectory("upload").resolve("big.zip"),
                    new byte[100_000]));
            assertTrue(limited.awaitNotification("big.zip was not sent").contains("up to 64 KiB"));

            // a client that ignores the component's limit: the server reads up to the limit, and no further
            long status = limited.uploadBypassingTheComponent("model-upload", "hostile.zip", 10_000_000);
            String refused = limited.awaitNotification("bundle_too_large");
            assertTrue(refused.contains("65536 bytes"), refused);
            assertTrue(status == 0 || status >= 400, "the upload is not accepted: " + status);
            assertEquals(AuditEntry.FAILED, small.getBean(AuditLog.class).search(new AuditFilter(null,
                    "model.register", null, "bundle upload hostile.zip")).getFirst().outcome());
            assertEquals(List.of(), FakeBundle.leftInStaging(small.getBean(ModelsConfig.class)));
        } finally {
            small.close();
        }
    }

    @Test
    void aViewersUploadIsRefusedBeforeItIsRead() throws IOException {
        String name = "viewer-model-" + UUID.randomUUID().toString().substring(0, 6);
        Path zip = FakeBundle.zip(FakeBundle.write(Files.createTempDirectory("bundle"), name, "1", "w"),
                Files.createTempDirectory("upload").resolve(name + ".zip"), "");
        try (Browser viewer = new Browser(Console.url())) {
            viewer.signIn(Console.viewer(), Console.PASSWORD);
            viewer.awaitText("dashboard-updated", "(live)");
            viewer.open("models");
            viewer.upload("model-upload", zip);
            viewer.awaitNotification("Your role (viewer) can look but not change anything");
        }
        assertEquals(AuditEntry.DENIED, Console.bean(AuditLog.class).search(new AuditFilter(null, "model.register",
                null, "bundle upload " + name + ".zip")).getFirst().outcome());
        assertTrue(Console.bean(ModelRegistry.class).find(name, "1").isEmpty());
    }

    @Test
    void aSlowDownloadLeavesTheViewAnswering() throws IOException {
        ModelRegistry registry = Console.bean(ModelRegistry.class);
        String name = "slow-model-" + UUID.randomUUID().toString().substring(0, 6);
        byte[] zip = Files.readAllBytes(FakeBundle.zip(FakeBundle.write(Files.createTempDirectory("bundle"), name,
                "1", "w"), Files.createTempDirectory("download").resolve("slow.zip"), ""));
        CountDownLatch release = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/slow.zip", exchange -> {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, zip.length);
            exchange.getResponseBody().write(zip);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/slow.zip";
            Model other = FakeBundle.registerReady(registry, "other");
            browser.open("models");
            browser.type("model-source", url);
            browser.click("register-model");
            browser.awaitText("registering", "Fetching and verifying bundle " + url);
            browser.click("details-" + other.id()); // answered while the download hangs
            browser.awaitText("model-details", other.reference());
            assertEquals("", browser.value("model-source"), "the click handler has returned");

            release.countDown();
            browser.awaitNotification(name + "@1 is registered");
            browser.waitFor().until(d -> browser.find("registering").getText().isEmpty());
            assertEquals(url, registry.find(name, "1").orElseThrow().source());
        } finally {
            release.countDown();
            server.stop(0);
        }
    }

    /** What a worker's passed smoke inference ends with ({@code model} ready), and a new tenant using it by default. */
    private static Tenant readyAsDefault(Model model) {
        ModelRegistry registry = Console.bean(ModelRegistry.class);
        registry.markReady(model.id());
        Tenant tenant = Console.bean(TenantService.class).create(
                "models-" + UUID.randomUUID().toString().substring(0, 6), "Models tenant");
        registry.setTenantDefault(tenant.id(), model.id());
        return tenant;
    }

    private static void register(Path bundle) {
        browser.type("model-source", bundle.toString());
        browser.click("register-model");
    }
}
