package io.montage.console.browser;

import io.micronaut.context.ApplicationContext;
import io.montage.audit.AuditEntry;
import io.montage.audit.AuditFilter;
import io.montage.audit.AuditLog;
import io.montage.console.hosting.ConsoleServer;
import io.montage.datasets.DatasetSpace;
import io.montage.datasets.Datasets;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Uploading a small zip of real photos (Tux Paint's stamps, a folder per class) into a tenant's space: the import's
 * counts and the rejected file in the notification, the per-class counts in the table, and thumbnails the browser
 * decoded in the details.
 */
class DatasetsBrowserTest extends AdminBrowserTest {

    private static final Path STAMPS = Path.of("/usr/share/datasets/tuxpaint-stamps");

    private static Path zipOfPhotos() throws IOException {
        Path zip = Files.createTempDirectory("dataset-upload").resolve("birds-and-fruit.zip");
        try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
            for (String photo : List.of("animals/birds/blackbird.png", "animals/birds/chicken_profile.png",
                    "animals/birds/adelaide-rosella.png", "food/fruit/apple_fuji.png", "food/fruit/Strawberry2.png")) {
                String folder = photo.startsWith("animals") ? "bird" : "fruit";
                out.putNextEntry(new ZipEntry(folder + "/" + Path.of(photo).getFileName()));
                out.write(Files.readAllBytes(STAMPS.resolve(photo)));
            }
            out.putNextEntry(new ZipEntry("fruit/notes.txt.png"));
            out.write("not an image".getBytes());
        }
        return zip;
    }

    @Test
    void anUploadedZipImportsWithItsCountsAndShowsThumbnailsOfEachClass() throws IOException {
        String slug = "ds-" + UUID.randomUUID().toString().substring(0, 8);
        Tenant tenant = Console.bean(TenantService.class).create(slug, "Datasets Co");
        String name = "birds-" + UUID.randomUUID().toString().substring(0, 6);
        browser.open("datasets");
        browser.choose("dataset-space", "tenant " + slug);
        browser.upload("dataset-upload", zipOfPhotos());
        browser.awaitText("dataset-staged", "birds-and-fruit.zip");
        browser.type("dataset-name", name);
        browser.click("import-dataset");

        String done = browser.awaitNotification(name + " version 1 is imported");
        assertTrue(done.contains("5 entries in 2 classes; 1 rejected, the first: fruit/notes.txt.png"), done);
        String table = browser.awaitText("datasets", "bird 3 · fruit 2");
        assertTrue(table.contains(name) && table.contains("classification"), table);
        String details = browser.awaitText("dataset-details", "v1");
        assertTrue(details.contains("bird · 3") && details.contains("fruit · 2"), details);
        assertTrue(details.contains("class folders birds-and-fruit.zip"), details);
        browser.waitFor().until(d -> decodedThumbnails("dataset-class-0") == 3 && decodedThumbnails("dataset-class-1") == 2);

        var dataset = Console.bean(Datasets.class).find(DatasetSpace.of(tenant.id()), name).orElseThrow();
        assertEquals(5, Console.bean(Datasets.class).versions(dataset).getFirst().entryCount());
        assertEquals(AuditEntry.OK, Console.bean(AuditLog.class).search(new AuditFilter(null, "dataset.import", null,
                name)).getFirst().outcome());
        browser.awaitText("dataset-staged", "No files staged.");
        browser.dismissNotifications();
        browser.screenshot("18-datasets", 1100);
    }

    @Test
    void anOversizedOrFormlessUploadIsRefusedAndNothingIsStaged() throws IOException {
        ApplicationContext small = Console.start(Map.of("montage.datasets.max-total-bytes", 64 * 1024));
        try (Browser limited = new Browser(small.getBean(ConsoleServer.class).url())) {
            limited.signIn(Console.admin(), Console.PASSWORD);
            limited.awaitText("dashboard-updated", "(live)");
            limited.open("datasets");
            limited.awaitText("dataset-staged", "No files staged.");
            // a client that ignores the component's limit: the server refuses it, and nothing is staged
            long status = limited.uploadBypassingTheComponent("dataset-upload", "hostile.zip", 10_000_000);
            assertTrue(status == 0 || status >= 400, "the upload is not accepted: " + status);
            assertEquals("No files staged.", limited.find("dataset-staged").getText());

            Path dir = Files.createTempDirectory("formless");
            limited.upload("dataset-upload", Files.write(dir.resolve("a.bin"), new byte[16]));
            limited.awaitText("dataset-staged", "a.bin");
            limited.type("dataset-name", "formless");
            limited.click("import-dataset");
            assertTrue(limited.awaitNotification("dataset_upload_form").contains("received: a.bin"));
        } finally {
            small.close();
        }
    }

    /** Thumbnails in the row the browser has loaded and decoded (an image it cannot decode has no natural width). */
    private static long decodedThumbnails(String rowId) {
        return (Long) browser.script("return Array.from(document.querySelectorAll('#' + arguments[0] "
                + "+ ' img.dataset-thumbnail')).filter(i => i.complete && i.naturalWidth > 0).length", rowId);
    }
}
