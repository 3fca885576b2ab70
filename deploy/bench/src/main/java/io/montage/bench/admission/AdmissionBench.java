package io.montage.bench.admission;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.zaxxer.hikari.HikariDataSource;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.montage.bench.BenchPools;
import io.montage.bench.Latencies;
import io.montage.bench.Machine;
import io.montage.bench.PoolConnections;
import io.montage.bench.Numbers;
import io.montage.db.Database;
import io.montage.db.DatabaseConfig;
import io.montage.db.Migrator;
import io.montage.jobs.Priority;
import io.montage.jobs.QueueBacklog;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * What admission control costs per request (ADR 0009): the api's per-key token bucket held on the node (Bucket4j
 * local buckets in a bounded Caffeine cache, the calls {@code KeyRateLimiter.acquire} makes) against a bucket
 * shared by every api node in PostgreSQL (Bucket4j's two PostgreSQL proxy managers), and the model backlog count
 * ({@link QueueBacklog}, the production class) uncached and behind a 100 ms cache, with a queue of 100,000 other
 * tasks in the table.
 *
 * <p>It needs a database of its own, cloned from montage_template (run-admission-bench.sh makes and drops one).
 */
public final class AdmissionBench {

    private static final int KEYS = 10_000;
    private static final BucketConfiguration CONFIG = BucketConfiguration.builder()
            .addLimit(limit -> limit.capacity(1_000_000_000L).refillGreedy(1_000_000_000L, Duration.ofMinutes(1)))
            .build(); // never empty: the cost of a granted request is measured

    private final List<String> report = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        new AdmissionBench().run(options);
    }

    private void run(Map<String, String> options) throws Exception {
        String url = options.get("db-url");
        String password = options.getOrDefault("db-password", "montage");
        DatabaseConfig config = new DatabaseConfig(url, "montage_app", password, "montage_owner", password,
                "montage_system", 8, true);
        new Migrator(config).migrate();
        line("# Admission control: per-request cost");
        line("");
        line(Machine.describe() + "; load average " + Machine.loadAverage() + ". " + options.getOrDefault("note", ""));
        line("");
        String name = "montage-admission-bench";
        try (HikariDataSource app = BenchPools.open(url, "montage_app", password, false, 8, name);
             HikariDataSource owner = BenchPools.open(url, "montage_owner", password, true, 8, name)) {
            localBuckets();
            sharedBuckets(owner);
            backlog(PoolConnections.database(app, config));
        }
        String text = String.join("\n", report) + "\n";
        System.out.print(text);
        if (options.containsKey("out")) {
            Files.writeString(Path.of(options.get("out")), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }

    // ---- the api's buckets: local to the node -------------------------------------------------------------------

    private void localBuckets() throws InterruptedException {
        Cache<UUID, Bucket> buckets = Caffeine.newBuilder().maximumSize(100_000)
                .expireAfter(Expiry.accessing((UUID key, Bucket bucket) -> Duration.ofMinutes(1))).build();
        LoadingCache<UUID, Integer> limits = Caffeine.newBuilder().maximumSize(100_000)
                .expireAfterWrite(Duration.ofSeconds(30)).build(tenant -> 600);
        UUID[] keys = new UUID[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = UUID.randomUUID();
        }
        UUID tenant = UUID.randomUUID();
        IntConsumer acquire = i -> {
            limits.get(tenant);
            Bucket bucket = buckets.get(keys[i % KEYS], key -> Bucket.builder()
                    .addLimit(limit -> limit.capacity(1_000_000_000L).refillGreedy(1_000_000_000L, Duration.ofMinutes(1)))
                    .build());
            if (!bucket.tryConsumeAndReturnRemaining(1).isConsumed()) {
                throw new IllegalStateException("the bench bucket never empties");
            }
        };
        line("## Token bucket per key, local to the api node (Bucket4j 8.14 + Caffeine, as KeyRateLimiter)");
        line("");
        line("| keys | threads | requests | ns per request (mean) | requests/s |");
        line("|---|---|---|---|---|");
        for (int threads : new int[]{1, 2}) {
            for (int keyCount : new int[]{1, KEYS}) {
                int n = 4_000_000;
                timed(threads, n / 4, keyCount, acquire); // warm-up
                double seconds = timed(threads, n, keyCount, acquire);
                line("| " + Numbers.count(keyCount) + " | " + threads + " | " + Numbers.count(n) + " | "
                        + Numbers.num(seconds * 1e9 * threads / n) + " | " + Numbers.count(n / seconds) + " |");
            }
        }
        line("");
    }

    /** Runs {@code n} calls over {@code threads} threads (keys {@code 0..keyCount-1} in turn); wall seconds. */
    private static double timed(int threads, int n, int keyCount, IntConsumer call) throws InterruptedException {
        List<Thread> running = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            running.add(Thread.ofPlatform().start(() -> {
                for (int i = offset; i < n; i += threads) {
                    call.accept(i % keyCount);
                }
            }));
        }
        for (Thread thread : running) {
            thread.join();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    // ---- one bucket shared by every node, in PostgreSQL -----------------------------------------------------------

    private void sharedBuckets(HikariDataSource owner) throws Exception {
        try (Connection c = owner.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS bucket (id text PRIMARY KEY, state bytea, expires_at bigint)");
        }
        line("## Token bucket per key shared in PostgreSQL (bucket4j_jdk17-postgresql 8.14, same database server)");
        line("");
        line("| proxy manager | keys | threads | requests | p50 ms | p99 ms | requests/s |");
        line("|---|---|---|---|---|---|---|");
        Map<String, ProxyManager<String>> managers = Map.of(
                "select for update", Bucket4jPostgreSQL.selectForUpdateBasedBuilder(owner)
                        .primaryKeyMapper(PrimaryKeyMapper.STRING).build(),
                "advisory lock", Bucket4jPostgreSQL.advisoryLockBasedBuilder(owner)
                        .primaryKeyMapper(PrimaryKeyMapper.STRING).build());
        for (var manager : managers.entrySet()) {
            for (int[] shape : new int[][]{{KEYS, 1}, {1, 1}, {1, 4}, {KEYS, 4}}) {
                int keys = shape[0];
                int threads = shape[1];
                int n = 4_000;
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < Math.min(keys, n); i++) {
                    ids.add(manager.getKey().replace(' ', '-') + "-" + keys + "-" + threads + "-" + i);
                }
                measureShared(manager.getValue(), ids, threads, n / 4); // warm-up, and the rows created
                double[] stats = measureShared(manager.getValue(), ids, threads, n);
                line("| " + manager.getKey() + " | " + Numbers.count(keys) + " | " + threads + " | " + Numbers.count(n)
                        + " | " + Numbers.num(stats[0]) + " | " + Numbers.num(stats[1]) + " | "
                        + Numbers.count(stats[2]) + " |");
            }
        }
        line("");
    }

    /** p50 ms, p99 ms and requests/s of {@code n} tryConsume calls over the keys, from {@code threads} threads. */
    private static double[] measureShared(ProxyManager<String> manager, List<String> ids, int threads, int n)
            throws InterruptedException {
        double[] millis = new double[n];
        AtomicLong next = new AtomicLong();
        long start = System.nanoTime();
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            running.add(Thread.ofPlatform().start(() -> {
                for (long i; (i = next.getAndIncrement()) < n; ) {
                    long began = System.nanoTime();
                    manager.getProxy(ids.get((int) (i % ids.size())), () -> CONFIG).tryConsumeAndReturnRemaining(1);
                    millis[(int) i] = (System.nanoTime() - began) / 1e6;
                }
            }));
        }
        for (Thread thread : running) {
            thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Latencies latencies = new Latencies(millis);
        return new double[]{latencies.median(), latencies.percentile(99), n / seconds};
    }

    // ---- the model backlog check ----------------------------------------------------------------------------------

    private void backlog(Database database) throws InterruptedException {
        UUID busy = model(database, "busy");
        UUID idle = model(database, "idle");
        UUID other = model(database, "other");
        queue(database, other, Priority.BULK, 90_000);
        queue(database, other, Priority.INTERACTIVE, 10_000);
        queue(database, busy, Priority.INTERACTIVE, 5_000);
        queue(database, busy, Priority.BULK, 5_000);
        database.asSystem(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE tasks");
            }
            return null;
        });
        QueueBacklog backlog = new QueueBacklog(database);
        line("## Model backlog check (QueueBacklog.waitingTasks, bound 200: counts up to 201)");
        line("");
        line("100,000 waiting tasks of another model in the table (10,000 interactive); \"busy\" has 5,000 interactive"
                + " and 5,000 bulk tasks waiting, \"idle\" none.");
        line("");
        line("| model | requests | p50 ms | p99 ms | counted |");
        line("|---|---|---|---|---|");
        for (var model : Map.of("idle", idle, "busy", busy).entrySet()) {
            int n = 2_000;
            double[] millis = new double[n];
            int counted = 0;
            for (int i = -200; i < n; i++) { // 200 warm-up calls
                long began = System.nanoTime();
                counted = backlog.waitingTasks(model.getValue(), Priority.INTERACTIVE, 201);
                if (i >= 0) {
                    millis[i] = (System.nanoTime() - began) / 1e6;
                }
            }
            Latencies latencies = new Latencies(millis);
            line("| " + model.getKey() + " | " + Numbers.count(n) + " | " + Numbers.num(latencies.median()) + " | "
                    + Numbers.num(latencies.percentile(99)) + " | " + counted + " |");
        }
        line("");
        AtomicLong loads = new AtomicLong();
        LoadingCache<UUID, Integer> cached = Caffeine.newBuilder().maximumSize(10_000)
                .expireAfterWrite(Duration.ofMillis(100)).build(id -> {
                    loads.incrementAndGet();
                    return backlog.waitingTasks(id, Priority.INTERACTIVE, 201);
                });
        int n = 2_000_000;
        double seconds = timed(2, n, 1, i -> cached.get(busy));
        line("Behind the 100 ms cache (ModelBacklog), 2 threads: " + Numbers.count(n) + " checks in "
                + Numbers.num(seconds) + " s = " + Numbers.num(seconds * 1e9 * 2 / n) + " ns per check, "
                + Numbers.count(loads.get()) + " database counts (" + Numbers.num(loads.get() / seconds)
                + " a second).");
        line("");
    }

    private static UUID model(Database database, String name) {
        return database.asSystem(c -> {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO models (name, version, kind, embedding_dim, manifest, source, bundle_path, status) "
                            + "VALUES (?, '1', 'clip', 8, '{}', 'bench', 'bench', 'ready') RETURNING id")) {
                insert.setString(1, "bench-" + name);
                try (var rs = insert.executeQuery()) {
                    rs.next();
                    return rs.getObject(1, UUID.class);
                }
            }
        });
    }

    /** {@code count} waiting tasks for the model, in one platform job (no tenant needed for a count). */
    private static void queue(Database database, UUID modelId, int priority, int count) {
        database.asSystem(c -> {
            UUID job;
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO jobs (type, priority, total_items, "
                    + "total_tasks, model_id) VALUES ('embed', ?, 0, ?, ?) RETURNING id")) {
                insert.setInt(1, priority);
                insert.setInt(2, count);
                insert.setObject(3, modelId);
                try (var rs = insert.executeQuery()) {
                    rs.next();
                    job = rs.getObject(1, UUID.class);
                }
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO tasks (job_id, type, priority, "
                    + "max_attempts, model_id) SELECT ?, 'embed', ?, 5, ? FROM generate_series(1, ?)")) {
                insert.setObject(1, job);
                insert.setInt(2, priority);
                insert.setObject(3, modelId);
                insert.setInt(4, count);
                insert.executeUpdate();
            }
            return null;
        });
    }

    private void line(String text) {
        report.add(text);
    }
}
