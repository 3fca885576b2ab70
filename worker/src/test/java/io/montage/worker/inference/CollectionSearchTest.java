package io.montage.worker.inference;

import io.montage.jobs.contracts.IngestJob;
import io.montage.collections.Collection;
import io.montage.collections.CollectionSearch;
import io.montage.collections.Collections;
import io.montage.jobs.Jobs;
import io.montage.quotas.QuotaOverrides;
import io.montage.quotas.Quotas;
import io.montage.collections.MetadataFilter;
import io.montage.collections.NewCollectionItem;
import io.montage.collections.SearchConfig;
import io.montage.collections.SearchHit;
import io.montage.collections.SearchRequest;
import io.montage.db.Database;
import io.montage.jobs.Job;
import io.montage.jobs.JobIntake;
import io.montage.jobs.JobStatus;
import io.montage.jobs.JobWaiter;
import io.montage.jobs.NewItem;
import io.montage.worker.testing.TestItems;
import io.montage.jobs.NewJob;
import io.montage.jobs.Priority;
import io.montage.json.JsonCodec;
import io.micronaut.json.tree.JsonNode;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;
import io.montage.worker.fairshare.Flow;
import io.montage.worker.tasks.ServedModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fashion-MNIST test images ingested into a collection through an ingest job (real DJL, real pgvector), then
 * searched by text, by image and with metadata filters, exactly and through the HNSW index.
 */
class CollectionSearchTest {

    private static final int PER_CLASS = 100;

    private static Tenant tenant;
    private static Model model;
    private static Collection collection;
    private static LoadedModel loaded;
    private static final Flow QUERIES = new Flow(null, true, 64, "queries");

    @BeforeAll
    static void ingestFashionMnist() throws Exception {
        model = DemoBundle.served();
        loaded = SharedContext.bean(ModelServer.class).get(model.id()).orElseThrow();
        tenant = SharedContext.newTenant();
        collection = SharedContext.bean(Collections.class).create(tenant.id(), "fashion", model);

        JsonCodec json = SharedContext.bean(JsonCodec.class);
        List<NewItem> items = new ArrayList<>();
        int[] taken = new int[FashionMnist.CLASSES.size()];
        List<FashionMnist.Example> test = FashionMnist.testSplit();
        for (int i = 0; i < test.size(); i++) {
            FashionMnist.Example e = test.get(i);
            if (taken[e.label()]++ < PER_CLASS) {
                items.add(TestItems.item("fm-" + i, json.write(Map.of("item_id", "fm-" + i, "image", e.pngBase64(),
                        "metadata", Map.of("label", FashionMnist.CLASSES.get(e.label()), "index", i)))));
            }
        }
        Job job = SharedContext.bean(JobIntake.class).submit(tenant.id(), new NewJob(IngestJob.NAME, Priority.BULK,
                json.write(Map.of("collection_id", collection.id())), model.id(), items));
        Job done = SharedContext.bean(JobWaiter.class).await(tenant.id(), job.id(), Duration.ofMinutes(3));
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals(items.size(), done.succeededItems());
        collection = SharedContext.bean(Collections.class).get(tenant.id(), "fashion");
        assertEquals(items.size(), collection.itemCount());
    }

    private static List<SearchHit> search(float[] vector, int k, MetadataFilter filter, boolean exact) {
        return SharedContext.bean(CollectionSearch.class).search(tenant.id(), collection,
                model.manifest().embeddingDim(), new SearchRequest(vector, k, filter, exact));
    }

    /** Through the HNSW index even though the collection is small (filters never ranked first). */
    private static List<SearchHit> searchApproximately(float[] vector, int k, MetadataFilter filter) {
        return searchWith(new SearchConfig(0, 40, 20000, 0), vector, k, filter);
    }

    private static List<SearchHit> searchWith(SearchConfig config, float[] vector, int k, MetadataFilter filter) {
        return new CollectionSearch(SharedContext.bean(Database.class), config)
                .search(tenant.id(), collection, model.manifest().embeddingDim(), new SearchRequest(vector, k, filter, false));
    }

    private static MetadataFilter filter(String json) {
        return MetadataFilter.parse(json(json), SharedContext.bean(JsonCodec.class));
    }

    private static JsonNode json(String text) {
        return SharedContext.bean(JsonCodec.class).read(text, JsonNode.class);
    }

    private static String label(SearchHit hit) {
        return json(hit.metadataJson()).get("label").getStringValue();
    }

    @Test
    void aTextQueryFindsTheClassItNames() throws Exception {
        float[] query = query("ankle boot");
        List<SearchHit> hits = search(query, 10, MetadataFilter.NONE, true);
        long relevant = hits.stream().filter(h -> label(h).equals("ankle boot")).count();
        System.out.printf("text search 'ankle boot': precision@10 = %.2f%n", relevant / 10.0);
        assertTrue(relevant >= 8, "precision@10 " + relevant + "/10: " + hits);
        assertTrue(hits.get(0).score() >= hits.get(9).score(), "ranked by similarity");
    }

    @Test
    void theIndexAgreesWithTheExactSearch() throws Exception {
        float[] query = query("sneaker");
        List<String> exact = search(query, 10, MetadataFilter.NONE, true).stream().map(SearchHit::itemId).toList();
        List<String> approximate = searchApproximately(query, 10, MetadataFilter.NONE).stream().map(SearchHit::itemId).toList();
        long overlap = approximate.stream().filter(exact::contains).count();
        assertTrue(overlap >= 8, "recall@10 of the HNSW index " + overlap + "/10");
    }

    @Test
    void anImageFindsImagesLikeIt() {
        float[] query = SharedContext.bean(Collections.class).embeddingOf(tenant.id(), collection.id(), "fm-0");
        List<SearchHit> hits = search(query, 10, MetadataFilter.NONE, true);
        assertEquals("fm-0", hits.get(0).itemId(), "an item is its own nearest neighbour");
        assertEquals(1.0, hits.get(0).score(), 1e-3);
        long sameClass = hits.stream().filter(h -> label(h).equals(label(hits.get(0)))).count();
        assertTrue(sameClass >= 7, "image->image: " + sameClass + "/10 of the same class");
    }

    @Test
    void aSelectiveFilterStillReturnsTopKThroughTheIndex() throws Exception {
        float[] query = query("sneaker");
        MetadataFilter bagsOnly = MetadataFilter.parse(json("{\"label\": \"bag\"}"),
                SharedContext.bean(JsonCodec.class));
        List<SearchHit> hits = searchApproximately(query, 20, bagsOnly);
        assertEquals(20, hits.size(), "iterative scan kept going past the 10% of items that are bags");
        assertTrue(hits.stream().allMatch(h -> label(h).equals("bag")));
    }

    @Test
    void aFilterExpectedToMatchFewItemsRanksThemExactly() throws Exception {
        float[] query = query("sneaker"); // every bag is far from it: the index walk's worst case
        MetadataFilter bags = filter("{\"label\": \"bag\"}");
        List<SearchHit> exact = search(query, 10, bags, true);
        List<SearchHit> filterFirst = searchWith(new SearchConfig(0, 40, 20000, 1_000_000), query, 10, bags);
        assertEquals(exact.stream().map(SearchHit::itemId).toList(), filterFirst.stream().map(SearchHit::itemId).toList());
        assertTrue(exact.stream().allMatch(h -> label(h).equals("bag")));
    }

    @Test
    void anIndexScanThatComesBackShortFallsBackToTheExactPlan() throws Exception {
        float[] query = query("sneaker");
        MetadataFilter bags = filter("{\"label\": \"bag\"}");
        // the HNSW scan may look at 50 tuples only: far too few to find 10 bags near a sneaker query
        List<SearchHit> hits = searchWith(new SearchConfig(0, 40, 50, 0), query, 10, bags);
        assertEquals(search(query, 10, bags, true).stream().map(SearchHit::itemId).toList(),
                hits.stream().map(SearchHit::itemId).toList());
    }

    @Test
    void arraysOfValuesMeanAllOfThemAndScalarsMatchInsideArrays() throws Exception {
        Collections all = SharedContext.bean(Collections.class);
        Collection tagged = all.create(tenant.id(), "tagged", model);
        float[] v = query("a bag");
        all.upsert(tenant.id(), tagged.id(), model.id(), List.of(
                new NewCollectionItem("both", "{\"tags\": [\"new\", \"sale\"]}", null, null, null, v),
                new NewCollectionItem("new", "{\"tags\": [\"new\"]}", null, null, null, v),
                new NewCollectionItem("plain", "{\"tags\": \"sale\"}", null, null, null, v)));
        tagged = all.get(tenant.id(), "tagged");
        CollectionSearch search = SharedContext.bean(CollectionSearch.class);
        java.util.function.Function<String, List<String>> ids = f -> search.search(tenant.id(),
                        all.get(tenant.id(), "tagged"), 128, new SearchRequest(v, 10, filter(f), false))
                .stream().map(SearchHit::itemId).sorted().toList();
        assertEquals(List.of("both"), ids.apply("{\"tags\": [\"new\", \"sale\"]}"));
        assertEquals(List.of("both", "plain"), ids.apply("{\"tags\": \"sale\"}"));
        assertEquals(List.of("both", "new", "plain"), ids.apply("{\"tags\": {\"in\": [\"new\", \"sale\"]}}"));
        assertEquals(3, tagged.itemCount());
    }

    @Test
    void theMetadataIndexServesFiltersUnderRowLevelSecurity() throws Exception {
        // Forced RLS keeps a tenant's own query from using the GIN index (jsonb operators are not LEAKPROOF);
        // montage_filtered_nearest runs as the system role with the policy's predicate, so it can.
        float[] query = query("sneaker");
        long before = metadataIndexScans();
        List<String> ids = SharedContext.bean(Database.class).inTenant(tenant.id(), c -> {
            try (var statement = c.createStatement()) {
                statement.execute("SET LOCAL enable_seqscan = off");
            }
            try (var select = c.prepareStatement(
                    "SELECT item_id FROM montage_filtered_nearest(?, ?, '$.\"label\" == \"bag\"', ?::halfvec, 5)")) {
                select.setObject(1, collection.id());
                select.setObject(2, model.id());
                select.setString(3, java.util.Arrays.toString(query).replace(" ", ""));
                List<String> out = new ArrayList<>();
                try (var rs = select.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            }
        });
        assertEquals(5, ids.size());
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos(); // statistics are flushed when idle
        while (metadataIndexScans() == before && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(metadataIndexScans() > before, "collection_items_metadata was scanned");
    }

    @Test
    void thePlannerEstimatesFiltersFromStatistics() throws Exception {
        try (var owner = io.montage.testing.TestDatabase.ownerConnection(); var statement = owner.createStatement()) {
            statement.execute("ANALYZE collection_items");
        }
        long estimate = SharedContext.bean(Database.class).inTenant(tenant.id(), c -> {
            try (var select = c.prepareStatement("SELECT montage_filter_estimate(?, '$.\"label\" == \"bag\"')")) {
                select.setObject(1, collection.id());
                try (var rs = select.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        // 100 of the 1,000 items are bags; without the statistics PostgreSQL would guess a fixed 1 % of all rows
        assertTrue(estimate >= 40 && estimate <= 250, "estimated " + estimate + " bags");
    }

    private static long metadataIndexScans() throws Exception {
        try (var owner = io.montage.testing.TestDatabase.ownerConnection(); var statement = owner.createStatement();
             var rs = statement.executeQuery(
                     "SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelname = 'collection_items_metadata'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void switchingModelsReembedsFromSourcesAndFlipsAtomically() throws Exception {
        Collections all = SharedContext.bean(Collections.class);
        // a second model: the demo bundle under another version (same weights, so results must not change)
        java.nio.file.Path copy = java.nio.file.Files.createTempDirectory("bundle-v2");
        for (String file : List.of("montage-model.json", "model.pt", "tokenizer.json")) {
            java.nio.file.Files.copy(DemoBundle.DIR.resolve(file), copy.resolve(file));
        }
        java.nio.file.Path manifest = copy.resolve("montage-model.json");
        java.nio.file.Files.writeString(manifest, java.nio.file.Files.readString(manifest)
                .replace("\"version\": \"1.0.0\"", "\"version\": \"2.0.0\""));
        ModelRegistry registry = SharedContext.bean(ModelRegistry.class);
        Model next = registry.register(copy.toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline && !SharedContext.bean(ServedModels.class).ids().contains(next.id())) {
            Thread.sleep(100);
        }
        Collection small = all.create(tenant.id(), "switching", model);
        JsonCodec json = SharedContext.bean(JsonCodec.class);
        List<NewItem> items = new ArrayList<>();
        List<FashionMnist.Example> test = FashionMnist.testSplit().subList(0, 40);
        for (int i = 0; i < test.size(); i++) {
            items.add(TestItems.item("s-" + i, json.write(Map.of("item_id", "s-" + i, "image", test.get(i).pngBase64()))));
        }
        items.add(new NewItem("caption", json.write(Map.of("item_id", "caption", "text", "an ankle boot"))));
        awaitSucceeded(SharedContext.bean(JobIntake.class).submit(tenant.id(), new NewJob(IngestJob.NAME, Priority.BULK,
                json.write(Map.of("collection_id", small.id())), model.id(), items)));
        float[] query = query("ankle boot");
        List<String> before = SharedContext.bean(CollectionSearch.class).search(tenant.id(), small, 128,
                new SearchRequest(query, 5, MetadataFilter.NONE, true)).stream().map(SearchHit::itemId).toList();

        Job reembed = SharedContext.bean(io.montage.collections.ModelSwitch.class).start(tenant.id(), small,
                registry.find(next.id()).orElseThrow());
        assertEquals(next.id(), all.get(tenant.id(), "switching").nextModelId(), "switching, still on the old model");
        assertEquals(model.id(), all.get(tenant.id(), "switching").modelId());
        awaitSucceeded(reembed);

        Collection after = all.get(tenant.id(), "switching");
        assertEquals(next.id(), after.modelId(), "flipped to the new model");
        assertEquals(null, after.nextModelId());
        List<String> now = SharedContext.bean(CollectionSearch.class).search(tenant.id(), after, 128,
                new SearchRequest(query, 5, MetadataFilter.NONE, true)).stream().map(SearchHit::itemId).toList();
        assertEquals(before, now, "the same weights under a new version find the same items");
    }

    @Test
    void anIngestedItemOverTheTenantsQuotaFailsAloneAndTheTaskGoesOn() throws Exception {
        Tenant limited = SharedContext.newTenant();
        SharedContext.bean(Quotas.class).set(limited.id(), new QuotaOverrides(null, null, 3L, null, null));
        Collection target = SharedContext.bean(Collections.class).create(limited.id(), "limited", model);
        JsonCodec json = SharedContext.bean(JsonCodec.class);
        List<NewItem> items = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            items.add(new NewItem("t-" + i, json.write(Map.of("item_id", "t-" + i, "text", "a shoe " + i))));
        }
        Job job = SharedContext.bean(JobIntake.class).submit(limited.id(), new NewJob(IngestJob.NAME, Priority.BULK,
                json.write(Map.of("collection_id", target.id())), model.id(), items));
        Job done = SharedContext.bean(JobWaiter.class).await(limited.id(), job.id(), Duration.ofMinutes(2));
        assertEquals(JobStatus.SUCCEEDED, done.status(), "the task finished; only items failed");
        assertEquals(3, done.succeededItems());
        List<String> failed = SharedContext.bean(Jobs.class).items(limited.id(), job.id(), "failed", -1, 10).stream()
                .map(item -> item.customId() + ":" + item.errorCode()).toList();
        assertEquals(List.of("t-3:quota_exceeded", "t-4:quota_exceeded"), failed);
        assertEquals(3, SharedContext.bean(Collections.class).get(limited.id(), "limited").itemCount());
    }

    private static void awaitSucceeded(Job job) throws InterruptedException {
        Job done = SharedContext.bean(JobWaiter.class).await(tenant.id(), job.id(), Duration.ofMinutes(2));
        assertEquals(JobStatus.SUCCEEDED, done.status(), "job " + job.type());
        assertEquals(done.totalItems(), done.succeededItems(), "every item of job " + job.type());
    }

    @Test
    void inAndRangeFiltersCombine() throws Exception {
        MetadataFilter filter = MetadataFilter.parse(json(
                "{\"label\": {\"in\": [\"bag\", \"sandal\"]}, \"index\": {\"gte\": 100, \"lt\": 2000}}"),
                SharedContext.bean(JsonCodec.class));
        List<SearchHit> hits = search(query("bag"), 50, filter, true);
        assertTrue(!hits.isEmpty());
        for (SearchHit hit : hits) {
            int index = json(hit.metadataJson()).get("index").getIntValue();
            assertTrue(List.of("bag", "sandal").contains(label(hit)) && index >= 100 && index < 2000, hit.toString());
        }
    }

    private static float[] query(String text) throws Exception {
        return loaded.embedTokens(QUERIES, loaded.tokenize(text)).get();
    }
}
