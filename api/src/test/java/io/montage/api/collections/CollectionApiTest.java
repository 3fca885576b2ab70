package io.montage.api.collections;

import io.micronaut.json.tree.JsonNode;
import io.montage.api.ApiServer;
import io.montage.apikeys.Scope;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.testing.FakeBundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static io.montage.api.ApiServer.send;
import static io.montage.api.ProblemAssertions.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Collections through the API with raw vectors (no worker needed): writes, vector and item searches, filters,
 * deletes, tenant isolation and every refusal. Text and image items go through the workers and are covered in the
 * worker module and the smoke test.
 */
class CollectionApiTest {

    private static Model model; // 8-dimensional
    private final ApiServer.Caller caller = ApiServer.newCaller(EnumSet.allOf(Scope.class));

    @BeforeAll
    static void anEightDimensionalModel() throws Exception {
        ModelRegistry registry = ApiServer.bean(ModelRegistry.class);
        model = registry.register(FakeBundle.write(Files.createTempDirectory("bundle"),
                "vec-" + UUID.randomUUID().toString().substring(0, 6), "1", "w").toString());
        registry.markReady(model.id());
    }

    private static String vector(double... values) {
        double[] full = new double[8];
        System.arraycopy(values, 0, full, 0, values.length);
        List<String> parts = new ArrayList<>();
        for (double v : full) {
            parts.add(String.format(Locale.ROOT, "%.4f", v));
        }
        return "[" + String.join(",", parts) + "]";
    }

    private String create(String name) {
        ApiServer.Response created = send("POST", "/v1/collections", caller.key(),
                "{\"name\":\"" + name + "\",\"model\":\"" + model.reference() + "\"}");
        assertEquals(201, created.status(), created.body());
        return name;
    }

    private void add(String name, String itemsJson) {
        ApiServer.Response written = send("POST", "/v1/collections/" + name + "/items", caller.key(),
                "{\"items\":" + itemsJson + "}");
        assertEquals(200, written.status(), written.body());
    }

    private JsonNode search(String name, String body) {
        ApiServer.Response response = send("POST", "/v1/collections/" + name + "/search", caller.key(), body);
        assertEquals(200, response.status(), response.body());
        return response.json();
    }

    @Test
    void vectorsAreStoredSearchedAndDeleted() {
        String name = create("shapes");
        add(name, "[{\"id\":\"east\",\"vector\":" + vector(1, 0) + ",\"metadata\":{\"kind\":\"axis\",\"n\":1}},"
                + "{\"id\":\"north\",\"vector\":" + vector(0, 1) + ",\"metadata\":{\"kind\":\"axis\",\"n\":2}},"
                + "{\"id\":\"north-east\",\"vector\":" + vector(1, 1) + ",\"metadata\":{\"kind\":\"diagonal\",\"n\":3}}]");
        assertEquals(3, send("GET", "/v1/collections/" + name, caller.key(), null).json().get("item_count").getIntValue());

        JsonNode hits = search(name, "{\"query\":{\"vector\":" + vector(1, 0.1) + "},\"top_k\":3}").get("data");
        assertEquals("east", hits.get(0).get("id").getStringValue());
        assertEquals("north-east", hits.get(1).get("id").getStringValue());
        assertEquals("axis", hits.get(0).get("metadata").get("kind").getStringValue());
        assertTrue(hits.get(0).get("score").getDoubleValue() > hits.get(1).get("score").getDoubleValue());

        JsonNode like = search(name, "{\"query\":{\"item_id\":\"north\"},\"top_k\":1}").get("data");
        assertEquals("north", like.get(0).get("id").getStringValue());

        JsonNode filtered = search(name, "{\"query\":{\"vector\":" + vector(1, 0) + "},\"filter\":{\"kind\":\"diagonal\"}}")
                .get("data");
        assertEquals(1, filtered.size());
        assertEquals("north-east", filtered.get(0).get("id").getStringValue());
        JsonNode ranged = search(name, "{\"query\":{\"vector\":" + vector(1, 0) + "},\"filter\":{\"n\":{\"gte\":2}},"
                + "\"exact\":true}").get("data");
        assertEquals(2, ranged.size());

        add(name, "[{\"id\":\"east\",\"vector\":" + vector(0, 0, 1) + "}]"); // replaces, does not add
        assertEquals(3, send("GET", "/v1/collections/" + name, caller.key(), null).json().get("item_count").getIntValue());
        assertEquals(204, send("DELETE", "/v1/collections/" + name + "/items/east", caller.key(), null).status());
        assertEquals(1, send("POST", "/v1/collections/" + name + "/items/delete", caller.key(),
                "{\"ids\":[\"north\",\"missing\"]}").json().get("deleted").getIntValue());
        assertEquals(1, send("GET", "/v1/collections/" + name, caller.key(), null).json().get("item_count").getIntValue());
        assertProblem(send("DELETE", "/v1/collections/" + name + "/items/east", caller.key(), null), 404, "item_not_found");
    }

    @Test
    void concurrentWritersOfOneCollectionKeepAnExactCount() throws Exception {
        String name = create("busy");
        int writers = 4;
        int perWriter = 60;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int batch = 0; batch < 3; batch++) {
                        List<String> items = new ArrayList<>();
                        for (int i = 0; i < perWriter / 3; i++) {
                            int n = batch * (perWriter / 3) + i;
                            // ids overlap between writers half the time: replaced, not counted twice
                            String id = n % 2 == 0 ? "shared-" + n : "w" + writer + "-" + n;
                            items.add("{\"id\":\"" + id + "\",\"vector\":" + vector(1, writer + 1, n + 1) + "}");
                        }
                        add(name, "[" + String.join(",", items) + "]");
                    }
                    return null;
                }));
            }
            for (var f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        int expected = perWriter / 2 + writers * perWriter / 2; // the shared even ids once, each writer's odd ids
        assertEquals(expected, send("GET", "/v1/collections/" + name, caller.key(), null).json()
                .get("item_count").getIntValue());
        assertEquals(expected, search(name, "{\"query\":{\"vector\":" + vector(1) + "},\"top_k\":1000,\"exact\":true}")
                .get("data").size());
    }

    @Test
    void aModelSwitchBlocksWritesUntilItIsCancelled() throws Exception {
        String name = create("switchable");
        io.montage.collections.Collections all = ApiServer.bean(io.montage.collections.Collections.class);
        io.montage.collections.Collection collection = all.get(caller.tenant().id(), name);
        // an item with a stored source, as an ingest would leave it (no worker runs in this module)
        all.upsert(caller.tenant().id(), collection.id(), model.id(), List.of(new io.montage.collections.NewCollectionItem(
                "captioned", "{}", "a red boot", null, null, new float[] {1, 0, 0, 0, 0, 0, 0, 0})));
        ModelRegistry registry = ApiServer.bean(ModelRegistry.class);
        Model next = registry.register(FakeBundle.write(Files.createTempDirectory("bundle"),
                "vec-next-" + UUID.randomUUID().toString().substring(0, 6), "1", "w2").toString());
        registry.markReady(next.id());
        String path = "/v1/collections/" + name;

        ApiServer.Response started = send("POST", path + "/model", caller.key(), "{\"model\":\"" + next.reference() + "\"}");
        assertEquals(202, started.status(), started.body());
        JsonNode view = send("GET", path, caller.key(), null).json();
        assertEquals(next.reference(), view.get("switching_to").getStringValue());
        assertEquals(started.json().get("job_id").getStringValue(), view.get("switch_job_id").getStringValue());
        assertProblem(send("POST", path + "/items", caller.key(), "{\"items\":[{\"id\":\"v\",\"vector\":"
                + vector(1) + "}]}"), 409, "collection_switching");

        JsonNode cancelled = send("POST", path + "/model/cancel", caller.key(), null).json();
        assertTrue(cancelled.get("switching_to").isNull(), cancelled.toString());
        assertEquals(model.reference(), cancelled.get("model").getStringValue());
        assertEquals("cancelled", send("GET", "/v1/jobs/" + started.json().get("job_id").getStringValue(),
                caller.key(), null).json().get("status").getStringValue());
        add(name, "[{\"id\":\"v\",\"vector\":" + vector(1) + "}]");
        assertProblem(send("POST", path + "/model/cancel", caller.key(), null), 409, "collection_not_switching");
        // the vector-only item has no source: a new switch is refused for that reason, not as "already switching"
        assertProblem(send("POST", path + "/model", caller.key(), "{\"model\":\"" + next.reference() + "\"}"),
                409, "collection_has_raw_vectors");
    }

    @Test
    void collectionsAreInvisibleToOtherTenants() {
        String name = create("private");
        add(name, "[{\"id\":\"a\",\"vector\":" + vector(1) + "}]");
        ApiServer.Caller other = ApiServer.newCaller(EnumSet.allOf(Scope.class));
        assertProblem(send("GET", "/v1/collections/" + name, other.key(), null), 404, "collection_not_found");
        assertProblem(send("POST", "/v1/collections/" + name + "/search", other.key(),
                "{\"query\":{\"vector\":" + vector(1) + "}}"), 404, "collection_not_found");
        assertEquals(0, send("GET", "/v1/collections", other.key(), null).json().get("data").size());
    }

    @Test
    void badRequestsAreRefusedWithWhatToFix() {
        String name = create("strict");
        assertProblem(send("POST", "/v1/collections", caller.key(),
                "{\"name\":\"strict\",\"model\":\"" + model.reference() + "\"}"), 409, "collection_exists");
        assertProblem(send("POST", "/v1/collections", caller.key(),
                "{\"name\":\"Bad Name\",\"model\":\"" + model.reference() + "\"}"), 422, "invalid_collection_name");
        String items = "/v1/collections/" + name + "/items";
        assertProblem(send("POST", items, caller.key(), "{\"items\":[{\"id\":\"a\",\"vector\":[1,2]}]}"),
                422, "wrong_vector_dimension");
        assertProblem(send("POST", items, caller.key(), "{\"items\":[{\"id\":\"a\",\"vector\":" + vector(1e6)
                + "}]}"), 422, "invalid_vector"); // beyond half precision
        assertProblem(send("POST", items, caller.key(), "{\"items\":[{\"id\":\"a\",\"vector\":" + vector()
                + "}]}"), 422, "zero_vector");
        assertProblem(send("POST", items, caller.key(), "{\"items\":[{\"id\":\"a\"}]}"), 422, "invalid_item");
        assertProblem(send("POST", items, caller.key(), "{\"items\":[{\"id\":\"a\",\"text\":\"x\",\"vector\":"
                + vector(1) + "}]}"), 422, "invalid_item");
        assertProblem(send("POST", items, caller.key(), "{\"items\":[{\"id\":\"a\",\"vector\":" + vector(1)
                + "},{\"id\":\"a\",\"vector\":" + vector(1) + "}]}"), 422, "duplicate_item_id");
        assertProblem(send("POST", items, caller.key(), "{\"items\":[{\"id\":\"a\",\"vector\":" + vector(1)
                + ",\"metadata\":[1]}]}"), 422, "invalid_metadata");
        String search = "/v1/collections/" + name + "/search";
        assertProblem(send("POST", search, caller.key(), "{\"query\":{}}"), 422, "invalid_query");
        assertProblem(send("POST", search, caller.key(), "{\"query\":{\"vector\":" + vector(1) + "},\"top_k\":0}"),
                422, "invalid_top_k");
        assertProblem(send("POST", search, caller.key(), "{\"query\":{\"vector\":" + vector(1)
                + "},\"filter\":{\"x\":{\"near\":1}}}"), 422, "invalid_filter");
        assertProblem(send("POST", search, caller.key(), "{\"query\":{\"vector\":" + vector(1)
                + "},\"filter\":{\"bad key!\":1}}"), 422, "invalid_filter");
        assertProblem(send("POST", search, caller.key(), "{\"query\":{\"vector\":" + vector(1)
                + "},\"filter\":{\"x\":{\"in\":[]}}}"), 422, "invalid_filter");
        assertProblem(send("POST", search, caller.key(), "{\"query\":{\"vector\":" + vector(1)
                + "},\"filter\":{\"x\":[{\"nested\":1}]}}"), 422, "invalid_filter");
        assertProblem(send("POST", search, caller.key(), "{\"query\":{\"item_id\":\"nope\"}}"), 404, "item_not_found");
        // a text query needs a worker serving the model: none here
        assertProblem(send("POST", search, caller.key(), "{\"query\":{\"text\":\"hello\"}}"), 503, "no_worker_for_model");
    }

    @Test
    void vectorsThatVanishAtHalfPrecisionAreRefusedAndScoresAreAlwaysNumbers() {
        String name = create("tiny");
        String items = "/v1/collections/" + name + "/items";
        // non-zero as 32-bit floats, all zeros once stored as halfvec
        String underflow = "[" + String.join(",", java.util.Collections.nCopies(8, "1e-8")) + "]";
        assertProblem(send("POST", items, caller.key(), "{\"items\":[{\"id\":\"u\",\"vector\":" + underflow + "}]}"),
                422, "zero_vector");
        assertProblem(send("POST", "/v1/collections/" + name + "/search", caller.key(),
                "{\"query\":{\"vector\":" + underflow + "}}"), 422, "zero_vector");
        add(name, "[{\"id\":\"small\",\"vector\":" + vector(1e-4) + "},{\"id\":\"legacy\",\"vector\":"
                + vector(0, 1) + "}]");

        // an item written before the check: its vector has no direction, and its cosine is NaN
        ApiServer.bean(io.montage.db.Database.class).inTenant(caller.tenant().id(), c -> {
            try (var zero = c.prepareStatement("UPDATE collection_items SET embedding = "
                    + "array_fill(0, ARRAY[8])::real[]::halfvec WHERE item_id = 'legacy'")) {
                return zero.executeUpdate();
            }
        });
        JsonNode hits = search(name, "{\"query\":{\"vector\":" + vector(1) + "},\"exact\":true}").get("data");
        assertEquals(2, hits.size());
        assertEquals("small", hits.get(0).get("id").getStringValue());
        assertEquals(1.0, hits.get(0).get("score").getDoubleValue(), 1e-3, "a short vector keeps its direction");
        assertEquals("legacy", hits.get(1).get("id").getStringValue());
        assertTrue(hits.get(1).get("score").isNumber(), "a JSON number, not \"NaN\": " + hits);
        assertEquals(0.0, hits.get(1).get("score").getDoubleValue());
        assertProblem(send("POST", "/v1/collections/" + name + "/search", caller.key(),
                "{\"query\":{\"item_id\":\"legacy\"}}"), 422, "zero_vector");
    }

    @Test
    void collectionEndpointsNeedCollectionScopes() {
        ApiServer.Caller reader = ApiServer.newCaller(EnumSet.of(Scope.COLLECTIONS_READ));
        assertProblem(send("POST", "/v1/collections", reader.key(), "{\"name\":\"x\"}"), 403, "insufficient_scope");
        assertEquals(200, send("GET", "/v1/collections", reader.key(), null).status());
    }
}
