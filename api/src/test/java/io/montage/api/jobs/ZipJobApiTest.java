package io.montage.api.jobs;

import io.micronaut.json.tree.JsonNode;
import io.montage.api.ApiServer;
import io.montage.apikeys.Scope;
import io.montage.db.Database;
import io.montage.json.JsonCodec;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.testing.FakeBundle;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static io.montage.api.ApiServer.send;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static io.montage.api.ProblemAssertions.assertProblem;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bulk jobs from a zip of images with a metadata.jsonl, streamed into the queue. */
class ZipJobApiTest {

    private final ApiServer.Caller caller = ApiServer.newCaller(EnumSet.allOf(Scope.class));

    /** A zip of {@code entries} in their order (other job tests' archives too). */
    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void imagesBecomeItemsAndMetadataIsAttachedWhereverItStandsInTheArchive() throws Exception {
        ModelRegistry registry = ApiServer.bean(ModelRegistry.class);
        Model model = registry.register(FakeBundle.write(Files.createTempDirectory("bundle"),
                "zip-" + UUID.randomUUID().toString().substring(0, 6), "1", "w").toString());
        registry.markReady(model.id());
        assertEquals(201, send("POST", "/v1/collections", caller.key(),
                "{\"name\":\"photos\",\"model\":\"" + model.reference() + "\"}").status());

        byte[] png = Files.readAllBytes(java.nio.file.Path.of(
                "../deploy/models/fashion-clip-mini/reference/images/fmnist_test00018_label8_bag.png"));
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        entries.put("shop/bag.png", png);
        entries.put("readme.txt", "not an image".getBytes(StandardCharsets.UTF_8));
        entries.put("shop/bag-2.png", png);
        entries.put("metadata.jsonl", "{\"custom_id\": \"shop/bag.png\", \"metadata\": {\"price\": 12}}\n"
                .getBytes(StandardCharsets.UTF_8)); // after the images it describes

        HttpResponse<String> response = ApiServer.exchange(HttpRequest.newBuilder(
                        URI.create(ApiServer.get().getURL() + "/v1/jobs?type=ingest&collection=photos"))
                .header("Authorization", "Bearer " + caller.key()).header("Content-Type", "application/zip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(zip(entries))).build());
        assertEquals(201, response.statusCode(), response.body());
        JsonNode job = ApiServer.bean(JsonCodec.class).read(response.body(), JsonNode.class);
        assertEquals(3, job.get("counts").get("total").getIntValue());
        assertEquals(1, job.get("counts").get("failed").getIntValue(), "the text file");

        Map<String, JsonNode> inputs = inputs(UUID.fromString(job.get("id").getStringValue()));
        assertEquals(12, inputs.get("shop/bag.png").get("metadata").get("price").getIntValue());
        assertEquals("shop/bag.png", inputs.get("shop/bag.png").get("item_id").getStringValue());
        assertEquals(png.length, inputs.get("shop/bag.png").get("image_bytes").getIntValue(), "the entry, never base64");
        assertNull(inputs.get("shop/bag.png").get("image"));
        assertArrayEquals(png, imageBytes(UUID.fromString(job.get("id").getStringValue()), "shop/bag.png"));
        assertNull(inputs.get("shop/bag-2.png").get("metadata"));
        String errors = send("GET", "/v1/jobs/" + job.get("id").getStringValue() + "/errors", caller.key(), null).body();
        assertEquals(true, errors.contains("\"code\":\"unsupported_entry\""), errors);
    }

    private static final byte[] PNG = png();

    private static byte[] png() {
        try {
            return Files.readAllBytes(java.nio.file.Path.of(
                    "../deploy/models/fashion-clip-mini/reference/images/fmnist_test00018_label8_bag.png"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private HttpResponse<String> upload(String query, byte[] zip) throws Exception {
        return ApiServer.exchange(HttpRequest.newBuilder(
                        URI.create(ApiServer.get().getURL() + "/v1/jobs?" + query))
                .header("Authorization", "Bearer " + caller.key()).header("Content-Type", "application/zip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(zip)).build());
    }

    private ApiServer.Response response(HttpResponse<String> response) {
        return new ApiServer.Response(response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""), response.body());
    }

    private int jobCount() {
        return send("GET", "/v1/jobs", caller.key(), null).json().get("data").size();
    }

    private String collection() throws IOException {
        String name = "c-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, send("POST", "/v1/collections", caller.key(),
                "{\"name\":\"" + name + "\",\"model\":\"" + modelReference() + "\"}").status());
        return name;
    }

    @Test
    void entryNamesThatCannotBeCustomIdsAreItemErrorsNotTruncatedIds() throws Exception {
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        entries.put("shop/" + "x".repeat(300) + ".png", PNG);
        entries.put("shop/a\u0000b.png", PNG);
        entries.put("shop/bag.png", PNG);
        HttpResponse<String> response = upload("type=embed&model=" + modelReference(), zip(entries));
        assertEquals(201, response.statusCode(), response.body());
        JsonNode job = ApiServer.bean(JsonCodec.class).read(response.body(), JsonNode.class);
        assertEquals(3, job.get("counts").get("total").getIntValue());
        assertEquals(2, job.get("counts").get("failed").getIntValue());
        String errors = send("GET", "/v1/jobs/" + job.get("id").getStringValue() + "/errors", caller.key(), null).body();
        assertTrue(errors.contains("\"custom_id\":\"entry-1\"") && errors.contains("\"code\":\"entry_name_too_long\""),
                errors);
        assertTrue(errors.contains("\"custom_id\":\"entry-2\"") && errors.contains("\"code\":\"nul_character\""),
                errors);
    }

    private String modelReference() throws IOException {
        ModelRegistry registry = ApiServer.bean(ModelRegistry.class);
        Model model = registry.register(FakeBundle.write(Files.createTempDirectory("bundle"),
                "zipm-" + UUID.randomUUID().toString().substring(0, 6), "1", "w").toString());
        registry.markReady(model.id());
        return model.reference();
    }

    @Test
    void aZipCutShortIsRefusedWholeAndLeavesNoJob() throws Exception {
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        entries.put("a.png", PNG);
        entries.put("b.png", PNG);
        byte[] whole = zip(entries);
        int secondEntry = indexOf(whole, new byte[]{'P', 'K', 3, 4}, 4);
        int centralDirectory = indexOf(whole, new byte[]{'P', 'K', 1, 2}, 0);
        int endRecord = indexOf(whole, new byte[]{'P', 'K', 5, 6}, 0);
        String model = modelReference();
        for (int cut : new int[]{secondEntry, secondEntry / 2, centralDirectory, endRecord, whole.length - 1}) {
            ApiServer.Response refused = response(upload("type=embed&model=" + model,
                    java.util.Arrays.copyOf(whole, cut)));
            assertProblem(refused, 400, "corrupt_zip");
        }
        assertEquals(0, jobCount(), "no partial job");
        assertEquals(201, upload("type=embed&model=" + model, whole).statusCode(), "the whole archive is fine");
    }

    private static int indexOf(byte[] bytes, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= bytes.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (bytes[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("pattern not found");
    }

    @Test
    void notAZipIsCorruptToo() throws Exception {
        assertProblem(response(upload("type=embed&model=" + modelReference(),
                "just text".getBytes(StandardCharsets.UTF_8))), 400, "corrupt_zip");
    }

    @Test
    void metadataIsCheckedLineByLineAndOnlyOneMetadataEntryIsAllowed() throws Exception {
        String collection = collection();
        Map<String, byte[]> twice = new java.util.LinkedHashMap<>();
        twice.put("metadata.jsonl", "{\"custom_id\": \"a.png\", \"metadata\": {}}\n".getBytes(StandardCharsets.UTF_8));
        twice.put("a.png", PNG);
        twice.put("more/metadata.jsonl", "{\"custom_id\": \"a.png\", \"metadata\": {}}\n".getBytes(StandardCharsets.UTF_8));
        assertProblem(response(upload("type=ingest&collection=" + collection, zip(twice))), 422, "duplicate_metadata");

        Map<String, byte[]> nul = new java.util.LinkedHashMap<>();
        nul.put("a.png", PNG);
        nul.put("metadata.jsonl", ("{\"custom_id\": \"a.png\", \"metadata\": {\"k\": 1}}\n"
                + "{\"custom_id\": \"a.png\", \"metadata\": {\"k\": \"x\\u0000\"}}\n").getBytes(StandardCharsets.UTF_8));
        JsonNode problem = assertProblem(response(upload("type=ingest&collection=" + collection, zip(nul))), 422,
                "nul_character");
        assertTrue(problem.get("detail").getStringValue().startsWith("metadata.jsonl line 2 at /metadata/k"),
                problem.toString());

        Map<String, byte[]> last = new java.util.LinkedHashMap<>();
        last.put("metadata.jsonl", ("{\"custom_id\": \"a.png\", \"metadata\": {\"v\": 1}}\n\n"
                + "{\"custom_id\": \"a.png\", \"metadata\": {\"v\": 2}}\n").getBytes(StandardCharsets.UTF_8));
        last.put("a.png", PNG);
        HttpResponse<String> ok = upload("type=ingest&collection=" + collection, zip(last));
        assertEquals(201, ok.statusCode(), ok.body());
        UUID jobId = UUID.fromString(ApiServer.bean(JsonCodec.class).read(ok.body(), JsonNode.class).get("id").getStringValue());
        assertEquals(2, inputs(jobId).get("a.png").get("metadata").get("v").getIntValue(), "the last line wins");
        assertEquals(1, jobCount(), "only the good upload made a job");
    }

    @Test
    void theNumberOfEntriesIsCapped() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i <= 1000; i++) { // montage.jobs.zip.max-entries is 1000 in tests
                zip.putNextEntry(new ZipEntry("folder-" + i + "/"));
                zip.closeEntry();
            }
        }
        assertProblem(response(upload("type=embed&model=" + modelReference(), bytes.toByteArray())), 413,
                "too_many_zip_entries");
    }

    /**
     * A metadata entry that expands to 200 MB of lines streams through with a small, bounded heap: one line at a
     * time is held, each staged in the database as it is read. (Read whole, as before, it took 64 MB at once and
     * then was refused.) The measure is the growth of the old generation's peak, where anything held for long, and
     * every large array, ends up; it is sampled at each collection, and the upload causes many.
     */
    @Test
    void aMetadataEntryOfHundredsOfMegabytesStreamsWithBoundedMemory() throws Exception {
        String collection = collection();
        String value = "v".repeat(64 * 1024 - 100);
        byte[] line = ("{\"custom_id\": \"a.png\", \"metadata\": {\"blob\": \"" + value + "\"}}\n")
                .getBytes(StandardCharsets.UTF_8);
        int lines = 200 * 1024 * 1024 / line.length;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("a.png"));
            zip.write(PNG);
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("metadata.jsonl"));
            for (int i = 0; i < lines; i++) {
                zip.write(line);
            }
            zip.closeEntry();
        }
        assertTrue(bytes.size() < 2 * 1024 * 1024, "a small upload: " + bytes.size());

        java.lang.management.MemoryPoolMXBean old = java.lang.management.ManagementFactory.getMemoryPoolMXBeans()
                .stream().filter(p -> p.getType() == java.lang.management.MemoryType.HEAP
                        && (p.getName().contains("Old") || p.getName().contains("Tenured")))
                .findFirst().orElseThrow();
        System.gc();
        old.resetPeakUsage();
        long before = old.getUsage().getUsed();
        HttpResponse<String> response = upload("type=ingest&collection=" + collection, bytes.toByteArray());
        long growth = old.getPeakUsage().getUsed() - before;
        System.out.printf("metadata of %d MB (%d lines) in a %d KB zip: old generation peak grew by %.1f MB%n",
                (long) lines * line.length >> 20, lines, bytes.size() >> 10, growth / 1048576.0);
        assertEquals(201, response.statusCode(), response.body());
        assertTrue(growth < 48L * 1024 * 1024, "old generation grew by " + (growth >> 20) + " MB");
        UUID jobId = UUID.fromString(ApiServer.bean(JsonCodec.class).read(response.body(), JsonNode.class)
                .get("id").getStringValue());
        assertEquals(value, inputs(jobId).get("a.png").get("metadata").get("blob").getStringValue());
    }

    private byte[] imageBytes(UUID jobId, String customId) {
        return ApiServer.bean(Database.class).inTenant(caller.tenant().id(), c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT input_bytes FROM items WHERE job_id = ? AND custom_id = ?")) {
                s.setObject(1, jobId);
                s.setString(2, customId);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getBytes(1);
                }
            }
        });
    }

    private Map<String, JsonNode> inputs(UUID jobId) {
        return ApiServer.bean(Database.class).inTenant(caller.tenant().id(), c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT custom_id, input::text FROM items WHERE job_id = ? AND status = 'pending'")) {
                s.setObject(1, jobId);
                Map<String, JsonNode> out = new HashMap<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), ApiServer.bean(JsonCodec.class).read(rs.getString(2), JsonNode.class));
                    }
                }
                return out;
            }
        });
    }
}
