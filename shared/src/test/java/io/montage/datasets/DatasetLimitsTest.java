package io.montage.datasets;

import io.montage.db.Database;
import io.montage.errors.MontageException;
import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The limits: past an entry, class or byte limit the import is refused whole and leaves nothing behind; an entry
 * past a per-entry limit is reported and the rest imports.
 */
class DatasetLimitsTest {

    private static Database database;
    private static Datasets datasets;
    private static Tenant tenant;

    @TempDir
    Path dir;

    @BeforeAll
    static void beans() {
        database = SharedContext.bean(Database.class);
        datasets = SharedContext.bean(Datasets.class);
        tenant = SharedContext.newTenant();
    }

    private static DatasetImporter importer(int entries, int classes, int imageBytes, long totalBytes, int side,
                                            int captions, int captionChars) {
        return new DatasetImporter(database, datasets, new DatasetsConfig(entries, classes, imageBytes, totalBytes,
                side, captions, captionChars, 2));
    }

    private Path fourImagesInTwoClasses() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("a/1.png", TestImages.png(1));
        files.put("a/2.png", TestImages.png(2));
        files.put("b/3.png", TestImages.png(3));
        files.put("b/4.png", TestImages.png(4));
        return TestImages.zip(dir, UUID.randomUUID() + ".zip", files);
    }

    private MontageException refused(DatasetImporter importer, String name, Path zip) {
        return assertThrows(MontageException.class, () -> importer.importInto(DatasetSpace.of(tenant.id()), name,
                DatasetKind.CLASSIFICATION, new ClassFolders(zip)));
    }

    @Test
    void pastTheEntryClassOrTotalLimitTheImportIsRefusedWholeWithTheSettingToChange() throws IOException {
        Path zip = fourImagesInTwoClasses();
        String name = "limits-" + UUID.randomUUID().toString().substring(0, 8);
        MontageException entries = refused(importer(3, 10, 1 << 20, 1 << 20, 64, 5, 100), name, zip);
        assertEquals(List.of(422, "dataset_too_many_entries"), List.of(entries.status(), entries.code()));
        assertTrue(entries.getMessage().contains("montage.datasets.max-entries"), entries.getMessage());

        MontageException classes = refused(importer(10, 1, 1 << 20, 1 << 20, 64, 5, 100), name, zip);
        assertEquals("dataset_too_many_classes", classes.code());
        assertTrue(classes.getMessage().contains("max-classes"), classes.getMessage());

        long threeImages = 3L * TestImages.png(1).length;
        MontageException total = refused(importer(10, 10, 1 << 20, threeImages, 64, 5, 100), name, zip);
        assertEquals("dataset_too_large", total.code());

        assertTrue(datasets.find(DatasetSpace.of(tenant.id()), name).isEmpty(), "a refused import leaves nothing");
    }

    @Test
    void anEntryPastAPerEntryLimitIsReportedAndTheRestImports() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("a/small.png", TestImages.png(1));
        files.put("a/wide.png", TestImages.image("png", 65, 2, 2));
        byte[] big = TestImages.image("bmp", 60, 60, 3);
        files.put("a/big.bmp", big);
        Path zip = TestImages.zip(dir, "per-entry.zip", files);

        ImportReport report = importer(10, 10, big.length - 1, 1 << 24, 64, 5, 100).importInto(
                DatasetSpace.of(tenant.id()), "per-entry-" + UUID.randomUUID().toString().substring(0, 8),
                DatasetKind.CLASSIFICATION, new ClassFolders(zip));
        assertEquals(1, report.version().entryCount());
        assertEquals(2, report.rejectedCount());
        assertEquals(List.of("a/big.bmp", "a/wide.png"), report.firstRejections().stream().map(Rejection::origin)
                .toList());
        assertTrue(report.firstRejections().get(0).reason().contains("max-image-bytes"), report.toString());
        assertTrue(report.firstRejections().get(1).reason().contains("max-image-side"), report.toString());
    }

    @Test
    void captionsPastTheirLimitsAreReportedAndOnlyTheFirstFewRejectionsNamed() throws IOException {
        Path zip = TestImages.zip(dir, "img.zip", Map.of("i.png", TestImages.png(5)));
        Path tsv = dir.resolve("c.tsv");
        Files.writeString(tsv, "i.png\tone\ttwo\tthree\ni.png\t" + "x".repeat(101) + "\ni.png\tfine\n"
                + "i.png\tbad\u0001control\nnothing.png\tx\n");
        ImportReport report = importer(10, 10, 1 << 20, 1 << 20, 64, 2, 100).importInto(DatasetSpace.of(tenant.id()),
                "caps-" + UUID.randomUUID().toString().substring(0, 8), DatasetKind.RETRIEVAL, new CaptionLines(tsv, zip));
        assertEquals(1, report.version().entryCount());
        assertEquals(4, report.rejectedCount(), "all counted");
        assertEquals(2, report.firstRejections().size(), "the first montage.datasets.reported-rejections named");
        assertTrue(report.firstRejections().get(0).reason().contains("max-captions"), report.toString());
        assertTrue(report.firstRejections().get(1).reason().contains("longer than 100"), report.toString());
    }

    @Test
    void nothingUsableIsAClearRefusal() throws IOException {
        Path zip = TestImages.zip(dir, "junk.zip", Map.of("a/x.png", "junk".getBytes()));
        MontageException empty = refused(importer(10, 10, 1 << 20, 1 << 20, 64, 5, 100), "empty-ds", zip);
        assertEquals("dataset_empty", empty.code());
        assertTrue(empty.getMessage().contains("a/x.png"), empty.getMessage());

        Path notAZip = dir.resolve("plain.zip");
        Files.writeString(notAZip, "hello");
        assertEquals("invalid_dataset_archive", refused(importer(10, 10, 1 << 20, 1 << 20, 64, 5, 100), "nz",
                notAZip).code());
    }
}
