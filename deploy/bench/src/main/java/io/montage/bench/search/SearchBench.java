package io.montage.bench.search;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.montage.bench.Bundle;
import io.montage.bench.Latencies;
import io.montage.bench.Machine;
import io.montage.bench.Numbers;
import io.montage.bench.PoolConnections;
import io.montage.bench.raw.ClipTowers;
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
import io.montage.json.JsonCodec;
import io.montage.models.BundleVerifier;
import io.montage.models.Model;
import io.montage.models.ModelManifest;
import io.montage.models.ModelStatus;
import io.montage.quotas.QuotaDefaults;
import io.montage.quotas.Quotas;
import io.montage.tenants.Tenant;
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
 * ({@link CollectionSearch}) with and without metadata filters of 10 % and 1 % selectivity, in three modes: exact
 * (the ground truth), the HNSW iterative scan at several ef_search values, and the production default policy
 * (filter first when the planner expects few matches); and how fast the items can be loaded (the production upsert
 * vs batched INSERT vs COPY) and the index built. Every search goes through {@code CollectionSearch.search}, so only
 * the plans production runs are measured.
 *
 * <p>Data: the demo model ({@code fashion-clip-mini}, 128 dimensions) run straight through DJL over Fashion-MNIST:
 * 60,000 train + 9,900 test images + augmented train images (mirrored / shifted by 1-2 px) up to {@code --items}.
 * Queries: 100 texts (10 prompt templates × 10 class names) and 100 held-out test images (never in the collection).
 * Real structured data on purpose: random vectors give meaningless recall (../shared/docs/pgvector.md).
 *
 * <p>It needs a database of its own, cloned from montage_template (run-search-bench.sh makes and drops one): it
 * migrates it, creates a tenant, writes the bundle's models row as ready (no worker runs), creates a collection and
 * loads it. The shared beans are constructed by hand rather than through a Micronaut context, because the worker
 * jar on this classpath would start a whole worker (claim loop, model loading) with the context.
 */
public final class SearchBench {

    private static final int TOP_K = 10;
    private static final double TIE = 1e-6;
    private static final double EPSILON = 1e-3;
    private static final int EMBED_CHUNK = 512;
    private static final int HELD_OUT_EVERY = 100; // test images 0, 100, 200, … are queries, not items
    private static final int MAX_SCAN_TUPLES = 20_000;
    private static final int AUTO_EF_SEARCH = 100; // SearchConfig's default
    private static final List<String> EXTRA_TEMPLATES = List.of("a {}", "a photo of my {}.");

    private record Query(String kind, String text, float[] vector) {
    }

    /** {@code path}: the SQL/JSON path MetadataFilter compiles the same filter into (null: no filter). */
    private record Filter(String name, String path, MetadataFilter filter) {
        boolean filtered() {
            return path != null;
        }
    }

    /** What the searches run against. */
    private record Target(UUID tenantId, Collection collection, int dim, List<Query> queries) {
    }

    /** One measured configuration. */
    private record Measured(String mode, int efSearch, Filter filter, String plan, Latencies latencyMs, double recall,
                            double minRecall, double recallText, double recallImage, double recallEpsilon,
                            double meanHits, List<List<SearchHit>> answers) {
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
        String loadAtStart = Machine.loadAverage();
        long runStart = System.nanoTime();
        Bundle bundle = Bundle.read(options.bundle());
        ModelManifest manifest = bundle.manifest();
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
            try (ClipTowers towers = ClipTowers.load(bundle)) {
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
            Database database = PoolConnections.database(dataSource, dbConfig);
            JsonMapper mapper = JsonMapper.createDefault();
            JsonCodec json = new JsonCodec(mapper);
            Tenant tenant = createTenant(database);
            Model model = readyModel(database, new BundleVerifier(mapper), json, options.bundle().toAbsolutePath());
            Collections collections = new Collections(database, new VectorIndexes(dbConfig),
                    new Quotas(database, new QuotaDefaults(Long.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE, 1, 1)));
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
            Map<String, Long> estimates = new LinkedHashMap<>();
            for (Filter f : filters) {
                matching.put(f.name(), countMatching(database, tenant.id(), collection.id(), f));
                if (f.filtered()) { // what CollectionSearch asks before each filtered approximate search
                    estimates.put(f.name(), estimate(database, tenant.id(), collection.id(), f));
                }
            }
            int filterFirstBelow = options.filterFirstBelow();
            Target target = new Target(tenant.id(), loaded, dim, queries);
            List<Measured> results = new ArrayList<>();
            Map<String, List<List<SearchHit>>> truth = new LinkedHashMap<>();
            // exact=true: unfiltered an exact scan of the collection, filtered montage_filtered_nearest (filter first)
            CollectionSearch exact = new CollectionSearch(database, new SearchConfig(0, 100, MAX_SCAN_TUPLES, 0));
            for (Filter f : filters) {
                Measured m = measure("exact", 0, exact, target, f, true, null,
                        f.filtered() ? "filter first (montage_filtered_nearest)" : "exact scan");
                truth.put(f.name(), m.answers());
                results.add(m);
            }
            // filterFirstBelow 0: no estimate is ≤ 0 (the planner says at least 1 row), so a filtered search always
            // takes the HNSW iterative scan; filter first only when the scan comes back with fewer than top_k hits
            for (int ef : options.efSearch()) {
                CollectionSearch hnsw = new CollectionSearch(database, new SearchConfig(0, ef, MAX_SCAN_TUPLES, 0));
                for (Filter f : filters) {
                    results.add(measure("hnsw", ef, hnsw, target, f, false, truth.get(f.name()),
                            f.filtered() ? "HNSW iterative scan" : "HNSW index scan"));
                }
            }
            // the production default policy: filter first when the planner expects ≤ filterFirstBelow matches
            CollectionSearch auto = new CollectionSearch(database,
                    new SearchConfig(0, AUTO_EF_SEARCH, MAX_SCAN_TUPLES, filterFirstBelow));
            for (Filter f : filters) {
                results.add(measure("auto", AUTO_EF_SEARCH, auto, target, f, false, truth.get(f.name()),
                        autoPlan(f, estimates, filterFirstBelow)));
            }
            Map<String, String> plans = new LinkedHashMap<>();
            float[] probe = queries.stream().filter(q -> q.kind().equals("image")).findFirst().orElseThrow().vector();
            for (Filter f : filters) {
                plans.put("HNSW " + (f.filtered() ? "iterative scan (hnsw; auto above the threshold)" : "index scan "
                        + "(hnsw, auto)") + ", ef_search " + AUTO_EF_SEARCH + ", filter " + f.name(),
                        explainIndexScan(database, target, probe, f));
            }
            plans.put("exact scan (exact), filter none", explainExactScan(database, target, probe));
            for (Filter f : filters.subList(1, filters.size())) {
                plans.put("filter first: the query inside montage_filtered_nearest (exact; auto when estimated ≤ "
                                + Numbers.count(filterFirstBelow) + "), filter " + f.name(),
                        explainFilterFirst(database, target, probe, f));
            }

            // ---- report ---------------------------------------------------------------------------------------
            line("## Search benchmark: " + manifest.name() + "@" + manifest.version() + ", " + Numbers.count(n)
                    + " items × " + dim + " dims (halfvec), top " + TOP_K);
            line("");
            line("- machine: " + Machine.describe() + "; load average at start " + loadAtStart + ", at end "
                    + Machine.loadAverage());
            line("- PostgreSQL " + settings.get("server_version") + ", pgvector " + settings.get("vector")
                    + "; shared_buffers " + settings.get("shared_buffers") + ", work_mem " + settings.get("work_mem")
                    + ", max_parallel_workers_per_gather " + settings.get("max_parallel_workers_per_gather")
                    + ", jit " + settings.get("jit") + "; database `" + options.dbName() + "` (" + migrations
                    + " migrations applied by this run)");
            line("- data: Fashion-MNIST through the demo model in DJL: " + Numbers.count(train.size()) + " train + "
                    + Numbers.count(test.size() - heldOut.size()) + " test + " + Numbers.count(augmented)
                    + " augmented train images (mirrored / shifted 2 px right / shifted 1 px left+down); metadata "
                    + "`{label, split, shard: i % 10, rare: i % 100 == 0}`; " + (Double.isNaN(embedSeconds)
                    ? "embeddings read from the cache of an earlier run"
                    : "preprocessing " + Numbers.num(preprocessSeconds) + " s, encode_image "
                    + Numbers.num(embedSeconds) + " s (" + Numbers.count(n / embedSeconds) + " images/s at batch "
                    + EMBED_CHUNK + ")"));
            line("- queries: " + queries.size() + " = " + queries.stream().filter(q -> q.kind().equals("text")).count()
                    + " texts (10 templates × 10 class names, e.g. \"" + queries.getFirst().text() + "\") + "
                    + queries.stream().filter(q -> q.kind().equals("image")).count() + " held-out test images (every "
                    + HELD_OUT_EVERY + "th, not in the collection); ground truth = the `exact` mode");
            line("- modes, each one `CollectionSearch` as production runs it: **exact** = `exact=true`, "
                    + "`SearchConfig(0, 100, " + MAX_SCAN_TUPLES + ", 0)`, the ground truth: unfiltered an exact scan "
                    + "of the collection, filtered `montage_filtered_nearest` (the matching items found through the "
                    + "GIN index, ranked exactly); **hnsw** = `SearchConfig(0, ef_search, " + MAX_SCAN_TUPLES
                    + ", 0)`: the HNSW index with the iterative scan, filter first only for a filtered scan that comes "
                    + "back with fewer than " + TOP_K + " hits; **auto** = the production default `SearchConfig(0, "
                    + AUTO_EF_SEARCH + ", " + MAX_SCAN_TUPLES + ", " + filterFirstBelow + ")`: filter first when the "
                    + "planner's estimate (`montage_filter_estimate`) is ≤ " + Numbers.count(filterFirstBelow)
                    + " matching items, else as hnsw. Filtered hnsw and auto searches ask for the estimate on every "
                    + "call (in their latency)");
            line("- latency = one `CollectionSearch.search` call from Java (pool checkout, tenant + search settings "
                    + "incl. `plan_cache_mode = force_custom_plan`, the estimate where asked, the query, commit), "
                    + "sequential, after " + options.warmup() + " warm-up queries per row; nearest-rank percentiles of "
                    + queries.size() + " queries. Recall counts ties with the 10th exact hit as hits.");
            options.notes().forEach(note -> line("- " + note));
            line("");
            line("### Loading " + Numbers.count(n) + " items");
            line("");
            line("| method | rows | seconds | rows/s | notes |");
            line("|---|---:|---:|---:|---|");
            for (ItemLoader.Loaded l : loads) {
                line("| " + l.method() + " | " + Numbers.count(l.rows()) + " | " + Numbers.num(l.seconds()) + " | "
                        + Numbers.count(l.perSecond()) + " | " + l.note() + " |");
            }
            line("");
            line("- `VACUUM (ANALYZE)` after the load: " + Numbers.num(vacuumSeconds) + " s");
            line("- HNSW build after the load (the definition VectorIndexes.ensure created, `CREATE INDEX` not "
                    + "CONCURRENTLY, maintenance_work_mem " + options.maintenanceWorkMem()
                    + ", max_parallel_maintenance_workers 0): **" + Numbers.num(buildSeconds) + " s** for "
                    + Numbers.count(d) + " rows (" + Numbers.count(d / buildSeconds) + " rows/s)");
            line("- sizes: table " + sizes.get("table") + ", HNSW index " + sizes.get("index") + ", all indexes "
                    + sizes.get("indexes") + " (GIN on metadata, primary key, HNSW)");
            line("");
            line("### Filters");
            line("");
            line("| filter | SQL/JSON path | matching items | planner's estimate | auto: plan | auto: queries on the "
                    + "filter-first plan |");
            line("|---|---|---:|---:|---|---:|");
            for (Filter f : filters.subList(1, filters.size())) {
                boolean first = estimates.get(f.name()) <= filterFirstBelow;
                line("| " + f.name() + " | `" + f.path() + "` | " + Numbers.count(matching.get(f.name())) + " | "
                        + Numbers.count(estimates.get(f.name())) + " | " + autoPlan(f, estimates, filterFirstBelow)
                        + " | " + (first ? queries.size() + " of " + queries.size()
                        : "0 of " + queries.size() + " + short scans¹") + " |");
            }
            line("");
            line("¹ The choice depends on the filter, not on the query: `montage_filter_estimate` reads column "
                    + "statistics only (asked once here, after the last ANALYZE; CollectionSearch asks on every call). "
                    + "A filtered hnsw or auto search whose iterative scan returns fewer than " + TOP_K + " hits is "
                    + "answered again by filter first within the same call: in its latency, not counted here.");
            line("");
            line("### Search latency and recall@10");
            line("");
            line("| mode | ef_search | filter (matching items) | plan | p50 ms | p90 ms | p99 ms | mean ms "
                    + "| recall@10 | min recall | recall text / image | recall ε=1e-3 | hits returned |");
            line("|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            for (Measured m : results) {
                boolean isTruth = m.mode().equals("exact");
                line("| " + m.mode() + " | " + (m.efSearch() == 0 ? "–" : m.efSearch()) + " | " + m.filter().name()
                        + " (" + Numbers.count(matching.get(m.filter().name())) + ") | " + m.plan() + " | "
                        + Numbers.num(m.latencyMs().median()) + " | " + Numbers.num(m.latencyMs().percentile(90))
                        + " | " + Numbers.num(m.latencyMs().percentile(99)) + " | " + Numbers.num(m.latencyMs().mean())
                        + " | " + (isTruth ? "1 (truth)" : String.format(Locale.ROOT, "%.3f", m.recall()))
                        + " | " + (isTruth ? "–" : String.format(Locale.ROOT, "%.1f", m.minRecall()))
                        + " | " + (isTruth ? "–" : String.format(Locale.ROOT, "%.3f / %.3f", m.recallText(),
                        m.recallImage())) + " | " + (isTruth ? "–" : String.format(Locale.ROOT, "%.3f",
                        m.recallEpsilon())) + " | " + String.format(Locale.ROOT, "%.2f", m.meanHits()) + " |");
            }
            line("");
            line("### Plans (EXPLAIN ANALYZE of the production SQL, copied, for one image query; COSTS OFF)");
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
            line("whole run " + Numbers.num((System.nanoTime() - runStart) / 1e9) + " s");
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

    /** The filter {@code {key: value}}, and the SQL/JSON path MetadataFilter makes of it (package-private there). */
    private static Filter filter(String name, String key, JsonNode value, JsonCodec json) {
        return new Filter(name, "$.\"" + key + "\" == " + json.write(value),
                MetadataFilter.parse(JsonNode.createObjectNode(Map.of(key, value)), json));
    }

    /** Times one mode on one filter; {@code truth} null: this mode is the ground truth (recall 1 by definition). */
    private Measured measure(String mode, int ef, CollectionSearch search, Target target, Filter filter, boolean exact,
                             List<List<SearchHit>> truth, String plan) {
        progress("%s%s: filter %s (%d queries after %d warm-up)", mode, ef == 0 ? "" : " ef_search " + ef,
                filter.name(), target.queries().size(), options.warmup());
        List<List<SearchHit>> answers = new ArrayList<>();
        Latencies latency = timed(search, target, filter, exact, answers);
        Measured m = measured(mode, ef, filter, plan, latency, answers, truth == null ? answers : truth,
                target.queries());
        progress("  p50 %.2f ms, p99 %.2f ms, recall@10 %.3f", latency.median(), latency.percentile(99), m.recall());
        return m;
    }

    private Latencies timed(CollectionSearch search, Target target, Filter filter, boolean exact,
                            List<List<SearchHit>> answers) {
        List<Query> queries = target.queries();
        for (int i = 0; i < options.warmup(); i++) {
            Query q = queries.get((i * 7) % queries.size());
            search.search(target.tenantId(), target.collection(), target.dim(),
                    new SearchRequest(q.vector(), TOP_K, filter.filter(), exact));
        }
        double[] ms = new double[queries.size()];
        for (int i = 0; i < queries.size(); i++) {
            SearchRequest request = new SearchRequest(queries.get(i).vector(), TOP_K, filter.filter(), exact);
            long t0 = System.nanoTime();
            List<SearchHit> hits = search.search(target.tenantId(), target.collection(), target.dim(), request);
            ms[i] = (System.nanoTime() - t0) / 1e6;
            answers.add(hits);
        }
        return new Latencies(ms);
    }

    private static Measured measured(String mode, int ef, Filter filter, String plan, Latencies latency,
                                     List<List<SearchHit>> answers, List<List<SearchHit>> truth, List<Query> queries) {
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
        return new Measured(mode, ef, filter, plan, latency, sum / answers.size(), min,
                texts == 0 ? Double.NaN : text / texts, images == 0 ? Double.NaN : image / images,
                epsilon / answers.size(), meanHits(answers), answers);
    }

    /** The plan the default policy picks for a filter, from the planner's estimate (the same for every query). */
    private static String autoPlan(Filter filter, Map<String, Long> estimates, int filterFirstBelow) {
        if (!filter.filtered()) {
            return "HNSW index scan";
        }
        long estimate = estimates.get(filter.name());
        return estimate <= filterFirstBelow
                ? "filter first (estimate " + Numbers.count(estimate) + " ≤ " + Numbers.count(filterFirstBelow) + ")"
                : "HNSW iterative scan (estimate " + Numbers.count(estimate) + " > " + Numbers.count(filterFirstBelow)
                + ")";
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
                    + "collection_id = ?" + (filter.filtered() ? " AND metadata @@ ?::jsonpath" : ""))) {
                count.setObject(1, collectionId);
                if (filter.filtered()) {
                    count.setString(2, filter.path());
                }
                return single(count);
            }
        });
    }

    /** The planner's estimate of the filter's matches, as CollectionSearch asks for it (V6). */
    private static long estimate(Database database, UUID tenantId, UUID collectionId, Filter filter) {
        return database.inTenant(tenantId, c -> {
            try (PreparedStatement estimate = c.prepareStatement("SELECT montage_filter_estimate(?, ?::jsonpath)")) {
                estimate.setObject(1, collectionId);
                estimate.setString(2, filter.path());
                return single(estimate);
            }
        });
    }

    /** The bench's tenant, as admin create-tenant makes one (TenantService needs Micronaut's repositories). */
    /**
     * The bundle's models row, ready at once: the bench embeds with DJL itself, so no worker validates or loads it,
     * and the row points at the bundle where it is (verified, not copied into a store). Written here rather than by
     * ModelRegistry, whose repository only a Micronaut context can make.
     */
    private static Model readyModel(Database database, BundleVerifier verifier, JsonCodec json, Path bundle) {
        ModelManifest manifest = verifier.verify(bundle);
        return database.asSystem(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO models (name, version, kind, "
                    + "embedding_dim, manifest, source, bundle_path, status, ready_at) "
                    + "VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, 'ready', now()) RETURNING id, created_at, ready_at")) {
                insert.setString(1, manifest.name());
                insert.setString(2, manifest.version());
                insert.setString(3, manifest.kind());
                insert.setInt(4, manifest.embeddingDim());
                insert.setString(5, json.write(manifest));
                insert.setString(6, bundle.toString());
                insert.setString(7, bundle.toString());
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    return new Model(rs.getObject(1, UUID.class), manifest.name(), manifest.version(), manifest,
                            ModelStatus.READY, null, bundle.toString(), bundle, rs.getTimestamp(2).toInstant(),
                            rs.getTimestamp(3).toInstant());
                }
            }
        });
    }

    private static Tenant createTenant(Database database) {
        return database.asSystem(c -> {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO tenants (slug, name) VALUES ('search-bench', 'search benchmark') RETURNING id, created_at")) {
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    return new Tenant(rs.getObject(1, UUID.class), "search-bench", "search benchmark", Tenant.ACTIVE,
                            rs.getTimestamp(2).toInstant());
                }
            }
        });
    }

    private static long single(PreparedStatement select) throws SQLException {
        try (ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // EXPLAIN ANALYZE of the SQL that CollectionSearch and montage_filtered_nearest run, copied from them (it is
    // private there, and EXPLAIN of a function call shows only "Function Scan"), with the same settings.

    /** CollectionSearch's index scan, after its transaction-local settings, inside the tenant. */
    private static String explainIndexScan(Database database, Target target, float[] vector, Filter filter) {
        String cast = "::halfvec(" + target.dim() + ")";
        return database.inTenant(target.tenantId(), c -> {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT set_config('hnsw.ef_search', '" + AUTO_EF_SEARCH + "', true), "
                        + "set_config('hnsw.iterative_scan', 'relaxed_order', true), "
                        + "set_config('hnsw.max_scan_tuples', '" + MAX_SCAN_TUPLES + "', true), "
                        + "set_config('plan_cache_mode', 'force_custom_plan', true)");
            }
            try (PreparedStatement explain = c.prepareStatement("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) "
                    + "WITH hits AS MATERIALIZED (SELECT item_id, metadata, embedding" + cast + " <=> ?" + cast
                    + " AS distance FROM collection_items WHERE collection_id = ? AND model_id = ?"
                    + (filter.filtered() ? " AND metadata @@ ?::jsonpath" : "") + " ORDER BY distance LIMIT ?) "
                    + "SELECT item_id, metadata::text, distance FROM hits ORDER BY distance")) {
                int p = 1;
                explain.setString(p++, ItemLoader.vectorText(vector));
                explain.setObject(p++, target.collection().id());
                explain.setObject(p++, target.collection().modelId());
                if (filter.filtered()) {
                    explain.setString(p++, filter.path());
                }
                explain.setInt(p, TOP_K);
                return planText(explain);
            }
        });
    }

    /** CollectionSearch's exact scan (no filter), inside the tenant. */
    private static String explainExactScan(Database database, Target target, float[] vector) {
        return database.inTenant(target.tenantId(), c -> {
            try (PreparedStatement explain = c.prepareStatement("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) "
                    + "SELECT item_id, metadata::text, embedding <=> ?::halfvec AS distance FROM collection_items "
                    + "WHERE collection_id = ? AND model_id = ? ORDER BY distance LIMIT ?")) {
                explain.setString(1, ItemLoader.vectorText(vector));
                explain.setObject(2, target.collection().id());
                explain.setObject(3, target.collection().modelId());
                explain.setInt(4, TOP_K);
                return planText(explain);
            }
        });
    }

    /**
     * The query montage_filtered_nearest executes (V6), as the function runs it: with the tenant set, as its owner
     * (the system role: no row-level security, hence the GIN index) and its search_path.
     */
    private String explainFilterFirst(Database database, Target target, float[] vector, Filter filter) {
        return database.inTenant(target.tenantId(), c -> {
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL ROLE \"" + options.systemRole().replace("\"", "\"\"") + "\"");
                s.execute("SET LOCAL search_path = pg_catalog, public");
            }
            try (PreparedStatement explain = c.prepareStatement("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) "
                    + "SELECT i.item_id, i.metadata, i.embedding <=> ?::halfvec FROM collection_items i "
                    + "WHERE i.tenant_id = montage_current_tenant() AND i.collection_id = ? AND i.model_id = ? "
                    + "AND i.metadata @@ ?::jsonpath ORDER BY 3 LIMIT ?")) {
                explain.setString(1, ItemLoader.vectorText(vector));
                explain.setObject(2, target.collection().id());
                explain.setObject(3, target.collection().modelId());
                explain.setString(4, filter.path());
                explain.setInt(5, TOP_K);
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

    static void progress(String format, Object... args) {
        System.err.printf("[search-bench] " + format + "%n", args);
    }
}
