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
import java.net.http.HttpClient;
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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Bulk jobs from a zip of images with a metadata.jsonl, streamed into the queue. */
class ZipJobApiTest {

    private final ApiServer.Caller caller = ApiServer.newCaller(EnumSet.allOf(Scope.class));

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
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

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(ApiServer.get().getURL() + "/v1/jobs?type=ingest&collection=photos"))
                .header("Authorization", "Bearer " + caller.key()).header("Content-Type", "application/zip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(zip(entries))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        JsonNode job = ApiServer.bean(JsonCodec.class).read(response.body(), JsonNode.class);
        assertEquals(3, job.get("counts").get("total").getIntValue());
        assertEquals(1, job.get("counts").get("failed").getIntValue(), "the text file");

        Map<String, JsonNode> inputs = inputs(UUID.fromString(job.get("id").getStringValue()));
        assertEquals(12, inputs.get("shop/bag.png").get("metadata").get("price").getIntValue());
        assertEquals("shop/bag.png", inputs.get("shop/bag.png").get("item_id").getStringValue());
        assertNull(inputs.get("shop/bag-2.png").get("metadata"));
        String errors = send("GET", "/v1/jobs/" + job.get("id").getStringValue() + "/errors", caller.key(), null).body();
        assertEquals(true, errors.contains("\"code\":\"unsupported_entry\""), errors);
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
