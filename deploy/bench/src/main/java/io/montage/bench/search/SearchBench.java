package io.montage.bench.search;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.montage.collections.Collection;
import io.montage.collections.CollectionSearch;
import io.montage.collections.Collections;
import io.montage.collections.MetadataFilter;
import io.montage.collections.SearchConfig;
import io.montage.collections.SearchHit;
import io.montage.collections.SearchRequest;
import io.montage.collections.VectorIndexes;
import io.montage.db.Database;
import io.montage.db.DatabaseConfig;
import io.montage.db.Migrator;
import io.montage.jobs.JobQueue;
import io.montage.jobs.QueueConfig;
import io.montage.jobs.RetryPolicy;
import io.montage.json.JsonCodec;
import io.montage.models.BundleFetcher;
import io.montage.models.BundleVerifier;
import io.montage.models.Model;
import io.montage.models.ModelManifest;
import io.montage.models.ModelRegistry;
import io.montage.models.ModelsConfig;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;
import io.montage.worker.images.ImageDecoder;
import io.montage.worker.images.ImageLimits;
import io.montage.worker.images.ImagePreprocessor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * Vector search on 100k real embeddings: p50/p90/p99 latency and recall@10 of the production search path
 * ({@link CollectionSearch}, HNSW with pgvector iterative scans) against exact search, with and without metadata
 * filters of 10 % and 1 % selectivity, at several ef_search values; and how fast the items can be loaded (the
 * production upsert vs batched INSERT vs COPY) and the index built.
 *
 * <p>Data: the demo model ({@code fashion-clip-mini}, 128 dimensions) run straight through DJL over Fashion-MNIST:
 * 60,000 train + 9,900 test images + augmented train images (mirrored / shifted by 1-2 px) up to {@code --items}.
 * Queries: 100 texts (10 prompt templates × 10 class names) and 100 held-out test images (never in the collection).
 * Real structured data on purpose: random vectors give meaningless recall (../shared/docs/pgvector.md).
 *
 * <p>It needs a database of its own, cloned from montage_template (run-search-bench.sh makes and drops one): it
 * migrates it, creates a tenant, registers the bundle and marks it ready (no worker runs), creates a collection and
 * loads it. The shared beans are constructed by hand rather than through a Micronaut context, because the worker
 * jar on this classpath would start a whole worker (claim loop, model loading) with the context.
 */
public final class SearchBench {

    private static final int TOP_K = 10;
    private static final double TIE = 1e-6;
    private static final double EPSILON = 1e-3;
    private static final int EMBED_CHUNK = 512;
    private static final int HELD_OUT_EVERY = 100; // test images 0, 100, 200, … are queries, not items
    private static final String FILTER_FIRST = "filter-first exact (alternative SQL)";
    private static final String SYSTEM_EXACT = "exact as system role + tenant_id = ? (alternative)";
    private static final String EXACT_CUSTOM = "exact, sessions with plan_cache_mode = force_custom_plan";
    private static final String HNSW_CUSTOM = "hnsw, sessions with plan_cache_mode = force_custom_plan";
    private static final String SYSTEM_EXACT_CUSTOM = "the same + plan_cache_mode = force_custom_plan";
    private static final List<String> EXTRA_TEMPLATES = List.of("a {}", "a photo of my {}.");

    private record Query(String kind, String text, float[] vector) {
    }

    private record Filter(String name, String json, MetadataFilter filter) {
    }

    /** One measured configuration. */
    private record Measured(String mode, int efSearch, Filter filter, Stats latencyMs, double recall, double minRecall,
                            double recallText, double recallImage, double recallEpsilon, double meanHits) {
    }

    private final SearchOptions options;
    private final StringBuilder report = new StringBuilder();

    private SearchBench(SearchOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        SearchOptions options;
        try {
            options = SearchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        ClipTowers.configureEngine(Runtime.getRuntime().availableProcessors());
        String text = new SearchBench(options).run();
        System.out.println(text);
        if (options.out() != null) {
            Files.writeString(options.out(), text + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        System.exit(0); // DJL and Hikari leave non-daemon threads behind
    }

    private String run() throws Exception {
        String loadAtStart = loadAverage();
        long runStart = System.nanoTime();
        ModelManifest manifest = ClipTowers.manifest(options.bundle());
        int dim = manifest.embeddingDim();

        // ---- data: real embeddings --------------------------------------------------------------------------
        progress("reading Fashion-MNIST from %s", FashionMnist.DIR);
        FashionMnist.Split train = FashionMnist.train();
        FashionMnist.Split test = FashionMnist.test();
        List<String> ids = new ArrayList<>();
        List<String> splits = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<byte[]> pixels = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            add(ids, splits, labels, pixels, String.format(Locale.ROOT, "train-%05d", i), "train", train.labels()[i],
                    train.pixels()[i]);
        }
        List<byte[]> heldOut = new ArrayList<>();
        List<Integer> heldOutLabels = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            if (i % HELD_OUT_EVERY == 0) {
                heldOut.add(test.pixels()[i]);
                heldOutLabels.add(test.labels()[i]);
            } else {
                add(ids, splits, labels, pixels, String.format(Locale.ROOT, "test-%05d", i), "test",
                        test.labels()[i], test.pixels()[i]);
            }
        }
        int augmented = Math.max(0, options.items() - ids.size());
        for (int k = 0; k < augmented; k++) {
            int source = (int) ((k * 37L) % train.size()); // 37 is coprime with 60,000: distinct sources
            add(ids, splits, labels, pixels, String.format(Locale.ROOT, "aug-%05d", k), "aug", train.labels()[source],
                    FashionMnist.augment(train.pixels()[source], k));
        }
        int n = Math.min(options.items(), ids.size());

        ImagePreprocessor preprocessor = new ImagePreprocessor(manifest.image());
        ImageDecoder decoder = new ImageDecoder(new ImageLimits(20 * 1024 * 1024, 40_000_000L));
        List<String> templates = new ArrayList<>(manifest.zeroShotTemplates() == null
                ? List.of("a photo of a {}.") : manifest.zeroShotTemplates());
        templates.addAll(EXTRA_TEMPLATES);
        for (int i = 0; templates.size() < 10; i++) {
            templates.add("a photo number " + i + " of a {}");
        }
        List<String> prompts = new ArrayList<>();
        for (String template : templates.subList(0, 10)) {
            for (String label : FashionMnist.CLASSES) {
                prompts.add(template.replace("{}", label));
            }
        }
        float[][] embeddings = new float[n][];
        float[][] queryVectors = new float[prompts.size() + heldOut.size()][];
        double preprocessSeconds = Double.NaN;
        double embedSeconds = Double.NaN;
        Path cache = options.cache() == null ? null : options.cache().resolve("search-bench-" + manifest.name()
                + "-" + manifest.files().getOrDefault(manifest.torchscript().file(), "x").substring(0, 12) + "-" + n
                + ".bin");
        if (cache != null && Files.isRegularFile(cache)) {
            progress("reading the embeddings from %s (delete it to embed again)", cache);
            readVectors(cache, embeddings, queryVectors, dim);
        } else {
            progress("embedding %,d images with %s through DJL (PNG → ImageDecoder → ImagePreprocessor → "
                    + "encode_image)", n, manifest.name());
            preprocessSeconds = 0;
            embedSeconds = 0;
            try (ClipTowers towers = ClipTowers.load(options.bundle())) {
                for (int from = 0; from < n; from += EMBED_CHUNK) {
                    int to = Math.min(n, from + EMBED_CHUNK);
                    long t0 = System.nanoTime();
                    List<float[]> chunk = IntStream.range(from, to).parallel()
                            .mapToObj(i -> preprocessor.preprocess(decoder.decode(FashionMnist.png(pixels.get(i)))))
                            .toList();
                    long t1 = System.nanoTime();
                    float[][] out = towers.embedImages(chunk);
                    long t2 = System.nanoTime();
                    System.arraycopy(out, 0, embeddings, from, out.length);
                    preprocessSeconds += (t1 - t0) / 1e9;
                    embedSeconds += (t2 - t1) / 1e9;
                }
                float[][] textVectors = towers.embedTexts(prompts);
                System.arraycopy(textVectors, 0, queryVectors, 0, textVectors.length);
                List<float[]> heldOutPixels = heldOut.stream()
                        .map(p -> preprocessor.preprocess(decoder.decode(FashionMnist.png(p)))).toList();
                float[][] imageVectors = towers.embedImages(heldOutPixels);
                System.arraycopy(imageVectors, 0, queryVectors, textVectors.length, imageVectors.length);
            }
            progress("embedded %,d images: preprocessing %.1f s (2 threads), encode_image %.1f s (%.0f images/s)", n,
                    preprocessSeconds, embedSeconds, n / embedSeconds);
            if (cache != null) {
                writeVectors(cache, embeddings, queryVectors);
            }
        }
        pixels.clear();
        List<Query> queries = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            queries.add(new Query("text", prompts.get(i), queryVectors[i]));
        }
        for (int i = 0; i < heldOut.size(); i++) {
            queries.add(new Query("image", "test image of a " + FashionMnist.CLASSES.get(heldOutLabels.get(i)),
                    queryVectors[prompts.size() + i]));
        }

        List<ItemLoader.Item> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String metadata = "{\"label\":\"" + FashionMnist.CLASSES.get(labels.get(i)) + "\",\"split\":\""
                    + splits.get(i) + "\",\"shard\":" + (i % 10) + ",\"rare\":" + (i % 100 == 0) + "}";
            items.add(new ItemLoader.Item(ids.get(i), metadata, embeddings[i]));
        }

        // ---- the platform's pieces, by hand ---------------------------------------------------------------------
        DatabaseConfig dbConfig = new DatabaseConfig(options.url(), options.appUser(), options.appPassword(),
                options.ownerUser(), options.ownerPassword(), options.systemRole(), 4, true);
        progress("migrating %s", options.url());
        int migrations = new Migrator(dbConfig).migrate();
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(dbConfig.url());
        hikari.setUsername(dbConfig.user());
        hikari.setPassword(dbConfig.password());
        hikari.setMaximumPoolSize(dbConfig.poolSize());
        hikari.setAutoCommit(false); // as the platform's pool: every unit of work is an explicit transaction
        hikari.addDataSourceProperty("ApplicationName", "montage-search-bench");
        try (HikariDataSource dataSource = new HikariDataSource(hikari)) {
            Database database = new Database(dataSource, dbConfig);
            JsonMapper mapper = JsonMapper.createDefault();
            JsonCodec json = new JsonCodec(mapper);
            Tenant tenant = new TenantService(database).create("search-bench", "search benchmark");
            QueueConfig queueConfig = new QueueConfig(100, 5, Duration.ofSeconds(60), Duration.ofSeconds(2),
                    Duration.ofMinutes(5));
            ModelsConfig modelsConfig = new ModelsConfig(options.store().toString(), 4_294_967_296L,
                    Duration.ofMinutes(10));
            ModelRegistry registry = new ModelRegistry(database, new BundleFetcher(modelsConfig),
                    new BundleVerifier(mapper), new JobQueue(database, queueConfig, new RetryPolicy(queueConfig)),
                    modelsConfig, json);
            Model model = registry.register(options.bundle().toAbsolutePath().toString());
            registry.markReady(model.id()); // no worker here: nothing validates it, nothing needs to
            Collections collections = new Collections(database, new VectorIndexes(dbConfig));
            Collection collection = collections.create(tenant.id(), "fashion-mnist", model); // + the HNSW index
            Map<String, String> settings = settings();

            // ---- load ---------------------------------------------------------------------------------------
            String indexName;
            String indexDef;
            try (Connection owner = owner(); Statement s = owner.createStatement();
                 ResultSet rs = s.executeQuery("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = "
                         + "'collection_items' AND indexname LIKE 'collection_items_hnsw_%'")) {
                if (!rs.next()) {
                    throw new IllegalStateException("Collections.create made no HNSW index");
                }
                indexName = rs.getString(1);
                indexDef = rs.getString(2);
            }
            progress("dropping %s for the bulk load (pgvector.md: build after loading)", indexName);
            ownerSql("DROP INDEX " + indexName);

            ItemLoader loader = new ItemLoader(database, collections, tenant.id(), collection.id(), model.id());
            List<ItemLoader.Loaded> loads = new ArrayList<>();
            int perPhase = options.upsertIndexedRows();
            int held = Math.min(4 * perPhase, n);
            int a = Math.min(options.upsertRows(), n - held);
            int b = Math.min(a + options.unnestRows(), n - held);
            int c = Math.min(b + options.copyTextRows(), n - held);
            int d = n - held;
            progress("loading %,d rows with Collections.upsert (100 per transaction)", a);
            loads.add(loader.upsert(items.subList(0, a), 100, "Collections.upsert, no vector index"));
            progress("  %.0f rows/s; loading %,d rows with INSERT … unnest (1,000 per statement)", last(loads), b - a);
            loads.add(loader.unnest(items.subList(a, b), 1000));
            progress("  %.0f rows/s; loading %,d rows with COPY text", last(loads), c - b);
            loads.add(loader.copy(items.subList(b, c), false));
            progress("  %.0f rows/s; loading %,d rows with COPY binary", last(loads), d - c);
            loads.add(loader.copy(items.subList(c, d), true));
            progress("  %.0f rows/s", last(loads));
            // COPY and the unnest insert bypass Collections' item_count bookkeeping: set it once
            database.asSystem(conn -> {
                try (PreparedStatement update = conn.prepareStatement("UPDATE collections SET item_count = "
                        + "(SELECT count(*) FROM collection_items WHERE collection_id = ?) WHERE id = ?")) {
                    update.setObject(1, collection.id());
                    update.setObject(2, collection.id());
                    return update.executeUpdate();
                }
            });
            long vacuumStart = System.nanoTime();
            ownerSql("VACUUM (ANALYZE) collection_items");
            double vacuumSeconds = (System.nanoTime() - vacuumStart) / 1e9;
            progress("VACUUM ANALYZE %.1f s; building the HNSW index (maintenance_work_mem %s, serial)", vacuumSeconds,
                    options.maintenanceWorkMem());
            double buildSeconds;
            try (Connection owner = owner(); Statement s = owner.createStatement()) {
                s.execute("SET maintenance_work_mem = '" + options.maintenanceWorkMem() + "'");
                s.execute("SET max_parallel_maintenance_workers = 0"); // CVE-2026-3172: no parallel HNSW builds
                long t0 = System.nanoTime();
                s.execute(indexDef);
                buildSeconds = (System.nanoTime() - t0) / 1e9;
            }
            progress("  built in %.1f s; upserting %,d held-back rows with the index in place, 1 writer", buildSeconds,
                    perPhase);
            if (held == 4 * perPhase && perPhase > 0) {
                loads.add(loader.upsert(items.subList(d, d + perPhase), 100, "Collections.upsert, HNSW index in place, "
                        + "1 writer"));
                progress("  %.0f rows/s; the same with 2 concurrent writers", last(loads));
                loads.add(twoWriters("Collections.upsert, HNSW index in place, 2 concurrent writers",
                        items.subList(d + perPhase, d + 2 * perPhase), half -> loader.upsert(half, 100, "")));
                progress("  %.0f rows/s; INSERT … unnest (100 rows per statement), 1 writer", last(loads));
                ItemLoader.Loaded unnestOne = loader.unnest(items.subList(d + 2 * perPhase, d + 3 * perPhase), 100);
                loads.add(new ItemLoader.Loaded("INSERT … unnest, HNSW index in place, 1 writer", unnestOne.rows(),
                        unnestOne.seconds(), "100 rows per statement and transaction"));
                progress("  %.0f rows/s; the same with 2 concurrent writers", last(loads));
                loads.add(twoWriters("INSERT … unnest, HNSW index in place, 2 concurrent writers",
                        items.subList(d + 3 * perPhase, n), half -> loader.unnest(half, 100)));
                progress("  %.0f rows/s", last(loads));
            }
            ownerSql("ANALYZE collection_items");
            Map<String, String> sizes = sizes(indexName);
            Collection loaded = collections.get(tenant.id(), collection.name());

            // ---- search -------------------------------------------------------------------------------------
            List<Filter> filters = List.of(
                    new Filter("none", null, MetadataFilter.NONE),
                    filter("shard = 3 (10 %)", "shard", JsonNode.createNumberNode(3), json),
                    filter("label = bag (10 %)", "label", JsonNode.createStringNode("bag"), json),
                    filter("rare = true (1 %)", "rare", JsonNode.createBooleanNode(true), json));
            Map<String, Long> matching = new LinkedHashMap<>();
            for (Filter f : filters) {
                matching.put(f.name(), countMatching(database, tenant.id(), collection.id(), f));
            }
            List<Measured> results = new ArrayList<>();
            Map<String, List<List<SearchHit>>> truth = new LinkedHashMap<>();
            CollectionSearch exact = new CollectionSearch(database, new SearchConfig(0, 100, 20_000, 0));
            for (Filter f : filters) {
                progress("exact: filter %s (%d queries after %d warm-up)", f.name(), queries.size(), options.warmup());
                List<List<SearchHit>> answers = new ArrayList<>();
                Stats latency = timed(exact, tenant.id(), loaded, dim, queries, f, true, answers);
                truth.put(f.name(), answers);
                results.add(new Measured("exact", 0, f, latency, 1, 1, 1, 1, 1, meanHits(answers)));
                progress("  p50 %.2f ms, p99 %.2f ms", latency.median(), latency.percentile(99));
            }
            for (int ef : options.efSearch()) {
                CollectionSearch approximate = new CollectionSearch(database, new SearchConfig(0, ef, 20_000, 0));
                for (Filter f : filters) {
                    progress("hnsw ef_search %d: filter %s", ef, f.name());
                    List<List<SearchHit>> answers = new ArrayList<>();
                    Stats latency = timed(approximate, tenant.id(), loaded, dim, queries, f, false, answers);
                    results.add(measured(ef, f, latency, answers, truth.get(f.name()), queries));
                    Measured m = results.getLast();
                    progress("  p50 %.2f ms, p99 %.2f ms, recall@10 %.3f", latency.median(), latency.percentile(99),
                            m.recall());
                }
            }
            // the production path again, on a second pool whose sessions start with plan_cache_mode =
            // force_custom_plan: PostgreSQL then never swaps in a generic plan for pgjdbc's server-prepared statements
            HikariConfig customHikari = new HikariConfig();
            customHikari.setJdbcUrl(dbConfig.url());
            customHikari.setUsername(dbConfig.user());
            customHikari.setPassword(dbConfig.password());
            customHikari.setMaximumPoolSize(dbConfig.poolSize());
            customHikari.setAutoCommit(false);
            customHikari.setPoolName("custom-plans");
            customHikari.addDataSourceProperty("options", "-c plan_cache_mode=force_custom_plan");
            try (HikariDataSource customPlans = new HikariDataSource(customHikari)) {
                Database customDatabase = new Database(customPlans, dbConfig);
                CollectionSearch customExact = new CollectionSearch(customDatabase, new SearchConfig(0, 100, 20_000, 0));
                for (Filter f : filters) {
                    progress("exact, plan_cache_mode force_custom_plan: filter %s", f.name());
                    List<List<SearchHit>> answers = new ArrayList<>();
                    Stats latency = timed(customExact, tenant.id(), loaded, dim, queries, f, true, answers);
                    Measured m = measured(0, f, latency, answers, truth.get(f.name()), queries);
                    results.add(new Measured(EXACT_CUSTOM, 0, f, latency, m.recall(), m.minRecall(), m.recallText(),
                            m.recallImage(), m.recallEpsilon(), m.meanHits()));
                    progress("  p50 %.2f ms, p99 %.2f ms, recall@10 %.3f", latency.median(), latency.percentile(99),
                            m.recall());
                }
                CollectionSearch customHnsw = new CollectionSearch(customDatabase, new SearchConfig(0, 100, 20_000, 0));
                for (Filter f : filters) {
                    progress("hnsw ef_search 100, plan_cache_mode force_custom_plan: filter %s", f.name());
                    List<List<SearchHit>> answers = new ArrayList<>();
                    Stats latency = timed(customHnsw, tenant.id(), loaded, dim, queries, f, false, answers);
                    Measured m = measured(100, f, latency, answers, truth.get(f.name()), queries);
                    results.add(new Measured(HNSW_CUSTOM, 100, f, latency, m.recall(), m.minRecall(),
                            m.recallText(), m.recallImage(), m.recallEpsilon(), m.meanHits()));
                    progress("  p50 %.2f ms, p99 %.2f ms, recall@10 %.3f", latency.median(), latency.percentile(99),
                            m.recall());
                }
            }
            // not the production path: what a "filter first, then exact" query costs, as evidence for a fix
            for (Filter f : filters.subList(1, filters.size())) {
                progress("alternative: exact over the filtered rows (CTE): filter %s", f.name());
                List<List<SearchHit>> answers = new ArrayList<>();
                Stats latency = timedFilterFirst(database, tenant.id(), loaded, queries, f, answers);
                Measured m = measured(0, f, latency, answers, truth.get(f.name()), queries);
                results.add(new Measured(FILTER_FIRST, 0, f, latency, m.recall(), m.minRecall(), m.recallText(),
                        m.recallImage(), m.recallEpsilon(), m.meanHits()));
                progress("  p50 %.2f ms, p99 %.2f ms, recall@10 %.3f", latency.median(), latency.percentile(99),
                        m.recall());
            }
            // not the production path either: the exact SQL as the system role with an explicit tenant_id, where
            // row-level security no longer keeps the planner from using the GIN index on metadata
            for (boolean custom : List.of(false, true)) {
                for (Filter f : filters.subList(1, filters.size())) {
                    progress("alternative: exact as the system role (GIN usable)%s: filter %s",
                            custom ? ", plan_cache_mode force_custom_plan" : "", f.name());
                    List<List<SearchHit>> answers = new ArrayList<>();
                    Stats latency = timedSystemExact(database, tenant.id(), loaded, queries, f, custom, answers);
                    Measured m = measured(0, f, latency, answers, truth.get(f.name()), queries);
                    results.add(new Measured(custom ? SYSTEM_EXACT_CUSTOM : SYSTEM_EXACT, 0, f, latency, m.recall(),
                            m.minRecall(), m.recallText(), m.recallImage(), m.recallEpsilon(), m.meanHits()));
                    progress("  p50 %.2f ms, p99 %.2f ms, recall@10 %.3f", latency.median(),
                            latency.percentile(99), m.recall());
                }
            }
            Map<String, String> plans = new LinkedHashMap<>();
            float[] probe = queries.stream().filter(q -> q.kind().equals("image")).findFirst().orElseThrow().vector();
            for (Filter f : filters) {
                plans.put("hnsw, ef_search 100, filter " + f.name(),
                        explain(database, tenant.id(), loaded, dim, probe, f, false, 100));
            }
            plans.put("exact, filter none", explain(database, tenant.id(), loaded, dim, probe, filters.getFirst(), true, 100));
            plans.put("exact, filter rare = true", explain(database, tenant.id(), loaded, dim, probe, filters.getLast(), true, 100));
            plans.put("alternative exact as the system role, filter label = bag",
                    explainSystemExact(database, tenant.id(), loaded, probe, filters.get(2)));
            plans.put("GENERIC plan of the same (what a server-side prepared statement may switch to after 5 runs)",
                    explainGeneric(database, tenant.id(), loaded, dim, probe, filters.get(2), true));
            plans.put("GENERIC plan of the production exact query (CollectionSearch, exact), filter none",
                    explainGenericExact(database, tenant.id(), loaded, probe));
            plans.put("GENERIC plan of the production HNSW query (CollectionSearch, ef_search 100), filter none",
                    explainGeneric(database, tenant.id(), loaded, dim, probe, filters.getFirst(), false));
            plans.put("alternative filter-first exact, filter label = bag",
                    explainFilterFirst(database, tenant.id(), loaded, probe, filters.get(2)));
            plans.put("alternative filter-first exact, filter rare = true",
                    explainFilterFirst(database, tenant.id(), loaded, probe, filters.getLast()));

            // ---- report ---------------------------------------------------------------------------------------
            line("## Search benchmark: " + manifest.name() + "@" + manifest.version() + ", " + Stats.count(n)
                    + " items × " + dim + " dims (halfvec), top " + TOP_K);
            line("");
            line("- machine: " + machine() + "; load average at start " + loadAtStart + ", at end " + loadAverage());
            line("- PostgreSQL " + settings.get("server_version") + ", pgvector " + settings.get("vector")
                    + "; shared_buffers " + settings.get("shared_buffers") + ", work_mem " + settings.get("work_mem")
                    + ", max_parallel_workers_per_gather " + settings.get("max_parallel_workers_per_gather")
                    + ", jit " + settings.get("jit") + "; database `" + options.dbName() + "` (" + migrations
                    + " migrations applied by this run)");
            line("- data: Fashion-MNIST through the demo model in DJL: " + Stats.count(train.size()) + " train + "
                    + Stats.count(test.size() - heldOut.size()) + " test + " + Stats.count(augmented)
                    + " augmented train images (mirrored / shifted 2 px right / shifted 1 px left+down); metadata "
                    + "`{label, split, shard: i % 10, rare: i % 100 == 0}`; " + (Double.isNaN(embedSeconds)
                    ? "embeddings read from the cache of an earlier run"
                    : "preprocessing " + Stats.num(preprocessSeconds) + " s, encode_image " + Stats.num(embedSeconds)
                    + " s (" + Stats.count(n / embedSeconds) + " images/s at batch " + EMBED_CHUNK + ")"));
            line("- queries: " + queries.size() + " = " + queries.stream().filter(q -> q.kind().equals("text")).count()
                    + " texts (10 templates × 10 class names, e.g. \"" + queries.getFirst().text() + "\") + "
                    + queries.stream().filter(q -> q.kind().equals("image")).count() + " held-out test images (every "
                    + HELD_OUT_EVERY + "th, not in the collection); ground truth = the same CollectionSearch with exact=true");
            line("- latency = one `CollectionSearch.search` call from Java (pool checkout, tenant + search settings, the "
                    + "query, commit), sequential, after " + options.warmup() + " warm-up queries per row; nearest-rank "
                    + "percentiles of " + queries.size() + " queries. Recall counts ties with the 10th exact hit as hits.");
            options.notes().forEach(note -> line("- " + note));
            line("");
            line("### Loading " + Stats.count(n) + " items");
            line("");
            line("| method | rows | seconds | rows/s | notes |");
            line("|---|---:|---:|---:|---|");
            for (ItemLoader.Loaded l : loads) {
                line("| " + l.method() + " | " + Stats.count(l.rows()) + " | " + Stats.num(l.seconds()) + " | "
                        + Stats.count(l.perSecond()) + " | " + l.note() + " |");
            }
            line("");
            line("- `VACUUM (ANALYZE)` after the load: " + Stats.num(vacuumSeconds) + " s");
            line("- HNSW build after the load (the definition VectorIndexes.ensure created, `CREATE INDEX` not "
                    + "CONCURRENTLY, maintenance_work_mem " + options.maintenanceWorkMem()
                    + ", max_parallel_maintenance_workers 0): **" + Stats.num(buildSeconds) + " s** for "
                    + Stats.count(d) + " rows (" + Stats.count(d / buildSeconds) + " rows/s)");
            line("- sizes: table " + sizes.get("table") + ", HNSW index " + sizes.get("index") + ", all indexes "
                    + sizes.get("indexes") + " (GIN on metadata, primary key, HNSW)");
            line("");
            line("### Search latency and recall@10");
            line("");
            line("| mode | ef_search | filter (matching items) | p50 ms | p90 ms | p99 ms | mean ms | recall@10 | "
                    + "min recall | recall text / image | recall ε=1e-3 | hits returned |");
            line("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            for (Measured m : results) {
                line("| " + m.mode() + " | " + (m.efSearch() == 0 ? "–" : m.efSearch()) + " | " + m.filter().name()
                        + " (" + Stats.count(matching.get(m.filter().name())) + ") | "
                        + Stats.num(m.latencyMs().median()) + " | " + Stats.num(m.latencyMs().percentile(90)) + " | "
                        + Stats.num(m.latencyMs().percentile(99)) + " | " + Stats.num(m.latencyMs().mean()) + " | "
                        + (m.mode().equals("exact") ? "1 (truth)" : String.format(Locale.ROOT, "%.3f", m.recall()))
                        + " | " + (m.mode().equals("exact") ? "–" : String.format(Locale.ROOT, "%.1f", m.minRecall()))
                        + " | " + (m.mode().equals("exact") ? "–" : String.format(Locale.ROOT, "%.3f / %.3f",
                        m.recallText(), m.recallImage())) + " | " + (m.mode().equals("exact") ? "–"
                        : String.format(Locale.ROOT, "%.3f", m.recallEpsilon())) + " | "
                        + String.format(Locale.ROOT, "%.2f", m.meanHits())
                        + " |");
            }
            line("");
            line("### Plans (EXPLAIN ANALYZE of the same SQL for one image query, COSTS OFF)");
            line("");
            for (Map.Entry<String, String> plan : plans.entrySet()) {
                line("<details><summary>" + plan.getKey() + "</summary>");
                line("");
                line("```");
                line(plan.getValue());
                line("```");
                line("</details>");
                line("");
            }
            line("whole run " + Stats.num((System.nanoTime() - runStart) / 1e9) + " s");
        }
        return report.toString();
    }

    private static void writeVectors(Path file, float[][] items, float[][] queries) throws java.io.IOException {
        Files.createDirectories(file.getParent());
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(
                Files.newOutputStream(file), 1 << 16))) {
            for (float[][] block : List.of(items, queries)) {
                for (float[] v : block) {
                    for (float f : v) {
                        out.writeFloat(f);
                    }
                }
            }
        }
    }

    private static void readVectors(Path file, float[][] items, float[][] queries, int dim) throws java.io.IOException {
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(
                Files.newInputStream(file), 1 << 16))) {
            for (float[][] block : List.of(items, queries)) {
                for (int r = 0; r < block.length; r++) {
                    block[r] = new float[dim];
                    for (int i = 0; i < dim; i++) {
                        block[r][i] = in.readFloat();
                    }
                }
            }
        }
    }

    private static void add(List<String> ids, List<String> splits, List<Integer> labels, List<byte[]> pixels,
                            String id, String split, int label, byte[] image) {
        ids.add(id);
        splits.add(split);
        labels.add(label);
        pixels.add(image);
    }

    private static Filter filter(String name, String key, JsonNode value, JsonCodec json) {
        return new Filter(name, "{\"" + key + "\":" + json.write(value) + "}",
                MetadataFilter.parse(JsonNode.createObjectNode(Map.of(key, value)), json));
    }

    private Stats timed(CollectionSearch search, UUID tenantId, Collection collection, int dim, List<Query> queries,
                        Filter filter, boolean exact, List<List<SearchHit>> answers) {
        for (int i = 0; i < options.warmup(); i++) {
            Query q = queries.get((i * 7) % queries.size());
            search.search(tenantId, collection, dim, new SearchRequest(q.vector(), TOP_K, filter.filter(), exact));
        }
        double[] ms = new double[queries.size()];
        for (int i = 0; i < queries.size(); i++) {
            SearchRequest request = new SearchRequest(queries.get(i).vector(), TOP_K, filter.filter(), exact);
            long t0 = System.nanoTime();
            List<SearchHit> hits = search.search(tenantId, collection, dim, request);
            ms[i] = (System.nanoTime() - t0) / 1e6;
            answers.add(hits);
        }
        return new Stats(ms);
    }

    private static Measured measured(int ef, Filter filter, Stats latency, List<List<SearchHit>> answers,
                                     List<List<SearchHit>> truth, List<Query> queries) {
        double sum = 0;
        double epsilon = 0;
        double min = 1;
        double text = 0;
        double image = 0;
        int texts = 0;
        for (int i = 0; i < answers.size(); i++) {
            double r = recall(answers.get(i), truth.get(i), TIE);
            sum += r;
            epsilon += recall(answers.get(i), truth.get(i), EPSILON);
            min = Math.min(min, r);
            if (queries.get(i).kind().equals("text")) {
                text += r;
                texts++;
            } else {
                image += r;
            }
        }
        int images = answers.size() - texts;
        return new Measured("hnsw", ef, filter, latency, sum / answers.size(), min,
                texts == 0 ? Double.NaN : text / texts, images == 0 ? Double.NaN : image / images,
                epsilon / answers.size(), meanHits(answers));
    }

    /**
     * Not what CollectionSearch runs: the filter's rows first (a MATERIALIZED CTE, which the GIN index on metadata
     * can serve), then an exact top-k over just those. What a selective or query-anti-correlated filter would cost
     * if the search chose this plan instead of walking the HNSW graph past thousands of non-matching neighbours.
     */
    private static String filterFirstSql() {
        return "WITH matching AS MATERIALIZED (SELECT item_id, metadata, embedding FROM collection_items "
                + "WHERE collection_id = ? AND model_id = ? AND metadata @> ?::jsonb) "
                + "SELECT item_id, metadata::text, 1 - (embedding <=> ?::halfvec) AS score FROM matching "
                + "ORDER BY embedding <=> ?::halfvec LIMIT ?";
    }

    private static void bindFilterFirst(PreparedStatement select, Collection collection, Filter filter, String vector)
            throws SQLException {
        select.setObject(1, collection.id());
        select.setObject(2, collection.modelId());
        select.setString(3, filter.json());
        select.setString(4, vector);
        select.setString(5, vector);
        select.setInt(6, TOP_K);
    }

    private Stats timedFilterFirst(Database database, UUID tenantId, Collection collection, List<Query> queries,
                                   Filter filter, List<List<SearchHit>> answers) {
        double[] ms = new double[queries.size()];
        for (int i = -options.warmup(); i < queries.size(); i++) { // negative i: untimed warm-up queries
            String bound = ItemLoader.vectorText(queries.get(Math.floorMod(i, queries.size())).vector());
            long t0 = System.nanoTime();
            List<SearchHit> hits = database.inTenant(tenantId, c -> {
                try (PreparedStatement select = c.prepareStatement(filterFirstSql())) {
                    bindFilterFirst(select, collection, filter, bound);
                    List<SearchHit> out = new ArrayList<>();
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            out.add(new SearchHit(rs.getString(1), rs.getDouble(3), rs.getString(2)));
                        }
                    }
                    return out;
                }
            });
            if (i >= 0) {
                ms[i] = (System.nanoTime() - t0) / 1e6;
                answers.add(hits);
            }
        }
        return new Stats(ms);
    }

    /**
     * The production exact SQL with the filter, run as the system role (BYPASSRLS) plus an explicit
     * {@code tenant_id = ?}: the GIN index on metadata becomes usable, because the planner no longer has to evaluate
     * the row-level-security qual before the (not leakproof) jsonb {@code @>} operator.
     */
    private static String systemExactSql() {
        return "SELECT item_id, metadata::text, 1 - (embedding <=> ?::halfvec) AS score FROM collection_items "
                + "WHERE tenant_id = ? AND collection_id = ? AND model_id = ? AND metadata @> ?::jsonb "
                + "ORDER BY embedding <=> ?::halfvec LIMIT ?";
    }

    private static void bindSystemExact(PreparedStatement select, UUID tenantId, Collection collection, Filter filter,
                                        String vector) throws SQLException {
        select.setString(1, vector);
        select.setObject(2, tenantId);
        select.setObject(3, collection.id());
        select.setObject(4, collection.modelId());
        select.setString(5, filter.json());
        select.setString(6, vector);
        select.setInt(7, TOP_K);
    }

    private Stats timedSystemExact(Database database, UUID tenantId, Collection collection, List<Query> queries,
                                   Filter filter, boolean forceCustomPlan, List<List<SearchHit>> answers) {
        double[] ms = new double[queries.size()];
        for (int i = -options.warmup(); i < queries.size(); i++) {
            String vector = ItemLoader.vectorText(queries.get(Math.floorMod(i, queries.size())).vector());
            long t0 = System.nanoTime();
            List<SearchHit> hits = database.asSystem(c -> {
                if (forceCustomPlan) {
                    try (Statement set = c.createStatement()) {
                        set.execute("SET LOCAL plan_cache_mode = force_custom_plan");
                    }
                }
                try (PreparedStatement select = c.prepareStatement(systemExactSql())) {
                    bindSystemExact(select, tenantId, collection, filter, vector);
                    List<SearchHit> out = new ArrayList<>();
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            out.add(new SearchHit(rs.getString(1), rs.getDouble(3), rs.getString(2)));
                        }
                    }
                    return out;
                }
            });
            if (i >= 0) {
                ms[i] = (System.nanoTime() - t0) / 1e6;
                answers.add(hits);
            }
        }
        return new Stats(ms);
    }

    private static String explainSystemExact(Database database, UUID tenantId, Collection collection, float[] vector,
                                             Filter filter) {
        return database.asSystem(c -> {
            try (PreparedStatement explain = c.prepareStatement(
                    "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + systemExactSql())) {
                bindSystemExact(explain, tenantId, collection, filter, ItemLoader.vectorText(vector));
                return planText(explain);
            }
        });
    }

    /**
     * EXPLAIN ANALYZE of the generic plan PostgreSQL caches for a prepared statement (pgjdbc prepares on the server
     * after 5 executions; PostgreSQL then may choose a generic plan), forced with plan_cache_mode. {@code system}:
     * the system-role exact SQL; otherwise CollectionSearch's HNSW SQL inside the tenant: its partial index predicate
     * {@code model_id = '<uuid>'} cannot be proven from {@code model_id = $3} in a generic plan.
     */
    private static String explainGeneric(Database database, UUID tenantId, Collection collection, int dim,
                                         float[] vector, Filter filter, boolean system) {
        String v = "'" + ItemLoader.vectorText(vector) + "'";
        String cast = "::halfvec(" + dim + ")";
        SqlWorkText work = c -> {
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL plan_cache_mode = force_generic_plan");
                if (system) {
                    s.execute("PREPARE bench_generic (text, uuid, uuid, uuid, text, text, int) AS "
                            + numbered(systemExactSql()));
                } else {
                    s.execute("SELECT set_config('hnsw.ef_search', '100', true), "
                            + "set_config('hnsw.iterative_scan', 'relaxed_order', true)");
                    s.execute("PREPARE bench_generic (text, uuid, uuid, int) AS WITH hits AS MATERIALIZED "
                            + "(SELECT item_id, metadata, embedding" + cast + " <=> $1" + cast + " AS distance "
                            + "FROM collection_items WHERE collection_id = $2 AND model_id = $3 ORDER BY distance "
                            + "LIMIT $4) SELECT item_id, metadata::text, 1 - distance AS score FROM hits ORDER BY distance");
                }
                String args = system
                        ? v + ", '" + tenantId + "', '" + collection.id() + "', '" + collection.modelId() + "', '"
                        + filter.json() + "', " + v + ", " + TOP_K
                        : v + ", '" + collection.id() + "', '" + collection.modelId() + "', " + TOP_K;
                StringBuilder out = new StringBuilder();
                try (ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) "
                        + "EXECUTE bench_generic (" + args + ")")) {
                    while (rs.next()) {
                        out.append(out.isEmpty() ? "" : "\n").append(rs.getString(1)
                                .replaceAll("'\\[[^']*\\]'", "'[…]'"));
                    }
                }
                s.execute("DEALLOCATE bench_generic");
                return out.toString();
            }
        };
        return system ? database.asSystem(work::run) : database.inTenant(tenantId, work::run);
    }

    /** The generic plan of CollectionSearch's exact SQL (no filter), inside the tenant. */
    private static String explainGenericExact(Database database, UUID tenantId, Collection collection, float[] vector) {
        String v = "'" + ItemLoader.vectorText(vector) + "'";
        return database.inTenant(tenantId, c -> {
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL plan_cache_mode = force_generic_plan");
                s.execute("PREPARE bench_generic (text, uuid, uuid, text, int) AS SELECT item_id, metadata::text, "
                        + "1 - (embedding <=> $1::halfvec) AS score FROM collection_items WHERE collection_id = $2 "
                        + "AND model_id = $3 ORDER BY embedding <=> $4::halfvec LIMIT $5");
                StringBuilder out = new StringBuilder();
                try (ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) EXECUTE "
                        + "bench_generic (" + v + ", '" + collection.id() + "', '" + collection.modelId() + "', " + v
                        + ", " + TOP_K + ")")) {
                    while (rs.next()) {
                        out.append(out.isEmpty() ? "" : "\n").append(rs.getString(1)
                                .replaceAll("'\\[[^']*\\]'", "'[…]'"));
                    }
                }
                s.execute("DEALLOCATE bench_generic");
                return out.toString();
            }
        });
    }

    /** JDBC's {@code ?} placeholders as PREPARE's {@code $1, $2, …} (the SQL here has no other question marks). */
    private static String numbered(String sql) {
        StringBuilder out = new StringBuilder();
        int n = 0;
        for (char ch : sql.toCharArray()) {
            if (ch == '?') {
                out.append('$').append(++n);
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    @FunctionalInterface
    private interface SqlWorkText {
        String run(Connection c) throws SQLException;
    }

    private static String explainFilterFirst(Database database, UUID tenantId, Collection collection, float[] vector,
                                             Filter filter) {
        return database.inTenant(tenantId, c -> {
            try (PreparedStatement explain = c.prepareStatement(
                    "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + filterFirstSql())) {
                bindFilterFirst(explain, collection, filter, ItemLoader.vectorText(vector));
                return planText(explain);
            }
        });
    }

    private static String planText(PreparedStatement explain) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (ResultSet rs = explain.executeQuery()) {
            while (rs.next()) {
                out.append(out.isEmpty() ? "" : "\n").append(rs.getString(1).replaceAll("'\\[[^']*\\]'", "'[…]'"));
            }
        }
        return out.toString();
    }

    /**
     * |approximate ∩ exact| / |exact|, where a hit within {@code slack} (cosine distance) of the exact list's last
     * one counts too: {@link #TIE} for exact ties only, {@link #EPSILON} as ann-benchmarks' "recall with ε".
     */
    private static double recall(List<SearchHit> approximate, List<SearchHit> exact, double slack) {
        if (exact.isEmpty()) {
            return 1;
        }
        Set<String> ids = new HashSet<>();
        exact.forEach(h -> ids.add(h.itemId()));
        double last = exact.getLast().score();
        int good = 0;
        for (SearchHit hit : approximate) {
            if (ids.contains(hit.itemId()) || hit.score() >= last - slack) {
                good++;
            }
        }
        return Math.min(1.0, good / (double) exact.size());
    }

    private static double meanHits(List<List<SearchHit>> answers) {
        return answers.stream().mapToInt(List::size).average().orElse(0);
    }

    private static long countMatching(Database database, UUID tenantId, UUID collectionId, Filter filter) {
        return database.inTenant(tenantId, c -> {
            try (PreparedStatement count = c.prepareStatement("SELECT count(*) FROM collection_items WHERE "
                    + "collection_id = ?" + (filter.json() == null ? "" : " AND metadata @> ?::jsonb"))) {
                count.setObject(1, collectionId);
                if (filter.json() != null) {
                    count.setString(2, filter.json());
                }
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /**
     * EXPLAIN ANALYZE of the SQL CollectionSearch runs (copied from it: its filter SQL is package-private), with the
     * same settings, inside the tenant.
     */
    private static String explain(Database database, UUID tenantId, Collection collection, int dim, float[] vector,
                                  Filter filter, boolean exact, int efSearch) {
        String where = " WHERE collection_id = ? AND model_id = ?" + (filter.json() == null ? "" : " AND metadata @> ?::jsonb");
        String cast = "::halfvec(" + dim + ")";
        String sql = exact
                ? "SELECT item_id, metadata::text, 1 - (embedding <=> ?::halfvec) AS score FROM collection_items" + where
                + " ORDER BY embedding <=> ?::halfvec LIMIT ?"
                : "WITH hits AS MATERIALIZED (SELECT item_id, metadata, embedding" + cast + " <=> ?" + cast
                + " AS distance FROM collection_items" + where + " ORDER BY distance LIMIT ?) "
                + "SELECT item_id, metadata::text, 1 - distance AS score FROM hits ORDER BY distance";
        String text = ItemLoader.vectorText(vector);
        return database.inTenant(tenantId, c -> {
            if (!exact) {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT set_config('hnsw.ef_search', '" + efSearch + "', true), "
                            + "set_config('hnsw.iterative_scan', 'relaxed_order', true), "
                            + "set_config('hnsw.max_scan_tuples', '20000', true)");
                }
            }
            try (PreparedStatement explain = c.prepareStatement(
                    "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql)) {
                int p = 1;
                explain.setString(p++, text);
                explain.setObject(p++, collection.id());
                explain.setObject(p++, collection.modelId());
                if (filter.json() != null) {
                    explain.setString(p++, filter.json());
                }
                if (exact) {
                    explain.setString(p++, text);
                }
                explain.setInt(p, TOP_K);
                return planText(explain);
            }
        });
    }

    private Map<String, String> settings() throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Connection owner = owner(); Statement s = owner.createStatement()) {
            for (String name : List.of("server_version", "shared_buffers", "work_mem", "maintenance_work_mem",
                    "max_parallel_workers_per_gather", "jit")) {
                try (ResultSet rs = s.executeQuery("SHOW " + name)) {
                    rs.next();
                    out.put(name, rs.getString(1));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT extversion FROM pg_extension WHERE extname = 'vector'")) {
                out.put("vector", rs.next() ? rs.getString(1) : "?");
            }
        }
        return out;
    }

    private Map<String, String> sizes(String indexName) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Connection owner = owner(); Statement s = owner.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_size_pretty(pg_table_size('collection_items')), "
                     + "pg_size_pretty(pg_relation_size('" + indexName + "')), "
                     + "pg_size_pretty(pg_indexes_size('collection_items'))")) {
            rs.next();
            out.put("table", rs.getString(1));
            out.put("index", rs.getString(2));
            out.put("indexes", rs.getString(3));
        }
        return out;
    }

    private Connection owner() throws SQLException {
        return DriverManager.getConnection(options.url(), options.ownerUser(), options.ownerPassword());
    }

    private void ownerSql(String sql) throws SQLException {
        try (Connection owner = owner(); Statement s = owner.createStatement()) {
            s.execute(sql);
        }
    }

    /** Two threads loading one half each, at the same time; the wall time of both. */
    private static ItemLoader.Loaded twoWriters(String label, List<ItemLoader.Item> items,
                                                java.util.function.Function<List<ItemLoader.Item>, ItemLoader.Loaded> load)
            throws InterruptedException {
        List<ItemLoader.Item> first = items.subList(0, items.size() / 2);
        List<ItemLoader.Item> second = items.subList(items.size() / 2, items.size());
        java.util.concurrent.atomic.AtomicReference<RuntimeException> failure = new java.util.concurrent.atomic.AtomicReference<>();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (List<ItemLoader.Item> half : List.of(first, second)) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    load.apply(half);
                } catch (RuntimeException e) {
                    failure.set(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return new ItemLoader.Loaded(label, items.size(), (System.nanoTime() - start) / 1e9,
                "100 rows per transaction; 2 threads, " + items.size() / 2 + " rows each, at once");
    }

    private static double last(List<ItemLoader.Loaded> loads) {
        return loads.getLast().perSecond();
    }

    private void line(String text) {
        report.append(text).append('\n');
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (java.io.IOException e) {
            // keep the fallback
        }
        long memGb = 0;
        try {
            memGb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024 / 1024).orElse(0L);
        } catch (java.io.IOException e) {
            // keep 0
        }
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + memGb + " GB, JDK "
                + Runtime.version();
    }

    static void progress(String format, Object... args) {
        System.err.printf("[search-bench] " + format + "%n", args);
    }
}
