package io.montage.datasets;

import io.montage.db.Database;
import io.montage.errors.MontageException;
import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each form imports with its counts and labels, bad entries are reported, identical content is the same version. */
class DatasetImportTest {

    private static DatasetImporter importer;
    private static Datasets datasets;
    private static Tenant tenant;

    @TempDir
    Path dir;

    @BeforeAll
    static void beans() {
        importer = SharedContext.bean(DatasetImporter.class);
        datasets = SharedContext.bean(Datasets.class);
        tenant = SharedContext.newTenant();
    }

    private static String name() {
        return "ds-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private Path classZip(String file, boolean reversed) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        List<String> names = List.of("cats/a.png", "cats/b.jpg", "cats/c.gif", "dogs/d.bmp", "dogs/e.png",
                "readme.png", "dogs/notes.md", "dogs/broken.png", "__MACOSX/cats/._a.png");
        for (String n : reversed ? names.reversed() : names) {
            files.put(n, switch (n) {
                case "cats/a.png" -> TestImages.png(0xff0000);
                case "cats/b.jpg" -> TestImages.image("jpeg", 10, 7, 0x00ff00);
                case "cats/c.gif" -> TestImages.image("gif", 5, 5, 0x0000ff);
                case "dogs/d.bmp" -> TestImages.image("bmp", 4, 9, 0x123456);
                case "dogs/e.png" -> TestImages.png(0x654321);
                case "readme.png" -> TestImages.png(0x111111);
                case "dogs/broken.png" -> "not an image".getBytes(StandardCharsets.UTF_8);
                default -> "x".getBytes(StandardCharsets.UTF_8);
            });
        }
        return TestImages.zip(dir, file, files);
    }

    @Test
    void aZipWithAFolderPerClassImportsWithItsCountsAndReportsTheBadEntries() throws IOException {
        String name = name();
        ImportReport report = importer.importInto(DatasetSpace.of(tenant.id()), name, DatasetKind.CLASSIFICATION,
                new ClassFolders(classZip("pets.zip", false)));

        assertTrue(report.newVersion());
        assertEquals(1, report.version().number());
        assertEquals(5, report.version().entryCount());
        assertEquals(List.of(new DatasetClass("cats", 0, 3), new DatasetClass("dogs", 1, 2)), report.classes());
        assertEquals(3, report.rejectedCount(), report.firstRejections().toString());
        Map<String, String> reasons = report.firstRejections().stream()
                .collect(Collectors.toMap(Rejection::origin, Rejection::reason));
        assertTrue(reasons.get("readme.png").contains("class folder"), reasons.toString());
        assertTrue(reasons.get("dogs/notes.md").contains("not an image"), reasons.toString());
        assertTrue(reasons.get("dogs/broken.png").contains("not a PNG"), reasons.toString());

        List<DatasetSample> samples = datasets.samples(DatasetSpace.of(tenant.id()), report.version().id(), 10, 2);
        assertEquals(List.of("cats", "cats", "dogs", "dogs"), samples.stream().map(DatasetSample::label).toList());
        DatasetSample jpeg = samples.get(1);
        assertEquals("cats/b.jpg", jpeg.origin());
        assertEquals(List.of("jpeg", 10, 7), List.of(jpeg.imageFormat(), jpeg.width(), jpeg.height()));
        assertEquals(List.of("png", "jpeg", "bmp", "png"), samples.stream().map(DatasetSample::imageFormat).toList());
        assertArrayEquals(TestImages.image("jpeg", 10, 7, 0x00ff00), datasets.image(DatasetSpace.of(tenant.id()),
                report.version().id(), jpeg.seq()).orElseThrow(), "the image as it came");
        assertEquals(List.of("cats"), datasets.samples(DatasetSpace.of(tenant.id()), report.version().id(), 1, 1)
                .stream().map(DatasetSample::label).toList(), "the first classes only");
    }

    @Test
    void identicalContentIsTheSameVersionAndChangedContentANewOne() throws IOException {
        String name = name();
        DatasetSpace space = DatasetSpace.of(tenant.id());
        ImportReport first = importer.importInto(space, name, DatasetKind.CLASSIFICATION,
                new ClassFolders(classZip("one.zip", false)));
        ImportReport again = importer.importInto(space, name, DatasetKind.CLASSIFICATION,
                new ClassFolders(classZip("other-order.zip", true)));

        assertFalse(again.newVersion());
        assertEquals(first.version(), again.version());
        assertEquals(first.classes(), again.classes());

        Path changed = TestImages.zip(dir, "changed.zip", Map.of("cats/a.png", TestImages.png(0xff0000),
                "cats/z.png", TestImages.png(0x00ffff)));
        ImportReport second = importer.importInto(space, name, DatasetKind.CLASSIFICATION, new ClassFolders(changed));
        assertTrue(second.newVersion());
        assertEquals(2, second.version().number());
        assertNotEquals(first.version().contentSha256(), second.version().contentSha256());
        Dataset dataset = datasets.find(space, name).orElseThrow();
        assertEquals(List.of(2, 1), datasets.versions(dataset).stream().map(DatasetVersion::number).toList());
        assertEquals(5 + 2, (int) SharedContext.bean(Database.class).inTenant(tenant.id(), c -> {
            try (var count = c.prepareStatement("SELECT count(*) FROM dataset_entries e JOIN dataset_versions v "
                    + "ON v.id = e.version_id WHERE v.dataset_id = ?")) {
                count.setObject(1, dataset.id());
                try (var rs = count.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        }), "the duplicate import left no entries behind");
    }

    private Path idx(String file, boolean gzip, int magic, int... header) throws IOException {
        return idx(file, gzip, magic, header, new byte[0]);
    }

    private Path idx(String file, boolean gzip, int magic, int[] header, byte[] body) throws IOException {
        Path path = dir.resolve(file);
        try (OutputStream raw = Files.newOutputStream(path);
             OutputStream maybeGzip = gzip ? new GZIPOutputStream(raw) : raw;
             DataOutputStream out = new DataOutputStream(maybeGzip)) {
            out.writeInt(magic);
            for (int h : header) {
                out.writeInt(h);
            }
            out.write(body);
        }
        return path;
    }

    @Test
    void anIdxPairImportsGzippedOrNotWithClassNamesAndReportsLabelsWithoutOne() throws IOException {
        int n = 7;
        byte[] pixels = new byte[n * 3 * 2];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 5);
        }
        byte[] labels = {0, 1, 1, 2, 2, 2, 9};
        Path images = idx("images.gz", true, 0x803, new int[]{n, 3, 2}, pixels);
        Path labelFile = idx("labels", false, 0x801, new int[]{n}, labels);

        ImportReport report = importer.importInto(DatasetSpace.of(tenant.id()), name(), DatasetKind.CLASSIFICATION,
                new IdxPair(images, labelFile, List.of("zero", "one", "two")));

        assertEquals(6, report.version().entryCount());
        assertEquals(List.of(new DatasetClass("zero", 0, 1), new DatasetClass("one", 1, 2),
                new DatasetClass("two", 2, 3)), report.classes(), "in the labels' order, not the names'");
        assertEquals(List.of(new Rejection("image 6", "label 9 has no class name (3 names given)")),
                report.firstRejections());
        DatasetSample first = datasets.samples(DatasetSpace.of(tenant.id()), report.version().id(), 10, 1).getFirst();
        assertEquals(List.of("zero", "png", 2, 3), List.of(first.label(), first.imageFormat(), first.width(),
                first.height()), "28×28-style rows × columns: 3 rows of 2");

        ImportReport numbered = importer.importInto(DatasetSpace.of(tenant.id()), name(), DatasetKind.CLASSIFICATION,
                new IdxPair(images, labelFile, List.of()));
        assertEquals(List.of("0", "1", "2", "9"), numbered.classes().stream().map(DatasetClass::label).toList());
    }

    @Test
    void anIdxPairThatDoesNotMatchIsRefusedWithTheReason() throws IOException {
        Path images = idx("i", false, 0x803, new int[]{3, 2, 2}, new byte[12]);
        Path fewerLabels = idx("l", false, 0x801, new int[]{2}, new byte[2]);
        Path notLabels = idx("x", false, 0x803, 2);
        Path truncated = idx("t", false, 0x801, new int[]{3}, new byte[1]);
        DatasetSpace space = DatasetSpace.of(tenant.id());

        MontageException mismatch = assertThrows(MontageException.class, () -> importer.importInto(space, name(),
                DatasetKind.CLASSIFICATION, new IdxPair(images, fewerLabels, List.of())));
        assertEquals("invalid_idx", mismatch.code());
        assertTrue(mismatch.getMessage().contains("3 images and the labels file 2"), mismatch.getMessage());
        assertTrue(assertThrows(MontageException.class, () -> importer.importInto(space, name(),
                DatasetKind.CLASSIFICATION, new IdxPair(images, notLabels, List.of()))).getMessage()
                .contains("not an IDX labels file"));
        assertTrue(assertThrows(MontageException.class, () -> importer.importInto(space, name(),
                DatasetKind.CLASSIFICATION, new IdxPair(images, truncated, List.of()))).getMessage()
                .contains("end after 1 of the 3"));
    }

    @Test
    void theFashionMnistTestSplitImportsWithAThousandOfEachClass() {
        ImportReport report = importer.importInto(DatasetSpace.of(tenant.id()), name(), DatasetKind.CLASSIFICATION,
                ReadyMade.FASHION_MNIST_TEST.source(ReadyMade.DEFAULT_ROOT));
        assertEquals(10_000, report.version().entryCount());
        assertEquals(0, report.rejectedCount());
        assertEquals(List.of("t-shirt/top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag",
                "ankle boot"), report.classes().stream().map(DatasetClass::label).toList(), "Fashion-MNIST's label order");
        report.classes().forEach(c -> assertEquals(1000, c.entryCount(), c.label()));
    }

    @Test
    void captionListsInJsonlAndTsvImportWithImagesFromTheZipOrInline() throws IOException {
        Path zip = TestImages.zip(dir, "images.zip", Map.of("img/red.png", TestImages.png(0xff0000),
                "img/blue.png", TestImages.png(0x0000ff)));
        String inline = Base64.getEncoder().encodeToString(TestImages.png(0x00ff00));
        Path jsonl = dir.resolve("captions.jsonl");
        Files.writeString(jsonl, String.join("\n",
                "{\"image\": \"img/red.png\", \"captions\": [\"a red square\", \"red\"], \"label\": \"colours\"}",
                "{\"image_base64\": \"" + inline + "\", \"caption\": \"a green square\"}",
                "",
                "{\"image\": \"img/missing.png\", \"caption\": \"gone\"}",
                "{\"image\": \"img/blue.png\"}",
                "{\"image\": \"img/blue.png\", \"caption\": \"x\", \"caption\": \"y\"}",
                "not json",
                "{\"image\": \"img/blue.png\", \"caption\": \"a blue square\"}") + "\n");

        ImportReport report = importer.importInto(DatasetSpace.of(tenant.id()), name(), DatasetKind.RETRIEVAL,
                new CaptionLines(jsonl, zip));
        assertEquals(3, report.version().entryCount());
        assertEquals(List.of("line 4", "line 5", "line 6", "line 7"),
                report.firstRejections().stream().map(Rejection::origin).toList(), report.firstRejections().toString());
        assertTrue(report.firstRejections().get(0).reason().contains("not in the zip"));
        assertTrue(report.firstRejections().get(1).reason().contains("no caption"));
        List<DatasetSample> samples = datasets.samples(DatasetSpace.of(tenant.id()), report.version().id(), 10, 10);
        assertEquals(List.of(List.of("a red square", "red"), List.of("a green square"), List.of("a blue square")),
                samples.stream().sorted(java.util.Comparator.comparingInt(DatasetSample::seq))
                        .map(DatasetSample::captions).toList());

        Path tsv = dir.resolve("captions.tsv");
        Files.writeString(tsv, "image\tcaption\nimg/red.png\ta red square\tred\r\nbase64:" + inline
                + "\ta green square\nimg/blue.png\t\n");
        ImportReport fromTsv = importer.importInto(DatasetSpace.of(tenant.id()), name(), DatasetKind.RETRIEVAL,
                new CaptionLines(tsv, zip));
        assertEquals(2, fromTsv.version().entryCount());
        assertEquals(List.of(new Rejection("line 4", "no caption: a retrieval dataset needs one or more per entry")),
                fromTsv.firstRejections());
    }

    @Test
    void theTuxPaintStampsImportAsCaptionedPhotosInTheirCategories() {
        ImportReport report = importer.importInto(DatasetSpace.of(tenant.id()), name(), DatasetKind.RETRIEVAL,
                ReadyMade.TUXPAINT.source(ReadyMade.DEFAULT_ROOT));
        assertTrue(report.version().entryCount() > 400, report.version().toString());
        List<DatasetSample> samples = datasets.samples(DatasetSpace.of(tenant.id()), report.version().id(), 1000, 100);
        DatasetSample koala = samples.stream().filter(s -> s.origin().equals("animals/marsupials/koala.png"))
                .findFirst().orElseThrow();
        assertEquals("marsupials", koala.label());
        assertEquals(1, koala.captions().size());
        assertTrue(koala.captions().getFirst().toLowerCase().contains("koala"), koala.captions().toString());
    }

    @Test
    void aDatasetKeepsItsKindAndANameMustBePlain() throws IOException {
        String name = name();
        DatasetSpace space = DatasetSpace.of(tenant.id());
        importer.importInto(space, name, DatasetKind.CLASSIFICATION, new ClassFolders(classZip("k.zip", false)));
        MontageException mismatch = assertThrows(MontageException.class, () -> importer.importInto(space, name,
                DatasetKind.RETRIEVAL, new ClassFolders(classZip("k2.zip", false))));
        assertEquals(List.of(409, "dataset_kind_mismatch"), List.of(mismatch.status(), mismatch.code()));
        assertEquals("invalid_dataset_name", assertThrows(MontageException.class, () -> importer.importInto(space,
                "Bad Name", DatasetKind.CLASSIFICATION, new ClassFolders(classZip("k3.zip", false)))).code());
    }
}
