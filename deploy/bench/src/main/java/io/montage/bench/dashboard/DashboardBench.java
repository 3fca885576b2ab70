package io.montage.bench.dashboard;

import com.zaxxer.hikari.HikariDataSource;
import io.montage.bench.BenchPools;
import io.montage.bench.Latencies;
import io.montage.bench.Machine;
import io.montage.bench.NamedArgs;
import io.montage.bench.Numbers;
import io.montage.bench.PoolConnections;
import io.montage.db.Database;
import io.montage.db.DatabaseConfig;
import io.montage.db.Migrator;
import io.montage.jobs.ClaimedTask;
import io.montage.jobs.ItemOutcome;
import io.montage.jobs.JobIntake;
import io.montage.jobs.TaskLeases;
import io.montage.jobs.contracts.EmbedJob;
import io.montage.jobs.contracts.JobCodec;
import io.montage.jobs.QueueConfig;
import io.montage.jobs.QueueDepth;
import io.montage.jobs.RecentFailures;
import io.montage.jobs.RetryPolicy;
import io.montage.jobs.TaskItem;
import io.montage.workers.Throughput;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the console's dashboard costs the database with a million items queued (issue 9): each read it makes every
 * refresh, called through the production classes (their plans EXPLAIN-ed as they send them, {@link
 * ExplainingDataSource}) and timed over many runs; for comparison the counts over items it never makes; and what
 * the partial index behind "recent failures" costs the writing of outcomes.
 *
 * <p>It needs a database of its own, cloned from montage_template (run-dashboard-bench.sh makes and drops one).
 */
public final class DashboardBench {

    private static final Pattern EXECUTION = Pattern.compile("Execution Time: ([0-9.]+) ms");
    private static final Pattern BUFFERS = Pattern.compile("Buffers: ([^\\n]+)");
    private static final int FAILED_EVERY = 20; // outcomes written by the write test: one in 20 fails
    private static final int EXPLAINS = 5;
    private static final String APPLICATION = "montage-dashboard-bench";

    private record Read(String name, String reads, Supplier<?> call) {
    }

    private final NamedArgs args;
    private final StringBuilder report = new StringBuilder();
    private final List<String> plans = new ArrayList<>();

    private DashboardBench(NamedArgs args) {
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        NamedArgs args = NamedArgs.parse(argv, List.of("db-url", "manifest"), "--db-url URL --manifest FILE "
                + "[--db-password P --items 1000000 --runs 30 --write-tasks 100 --out FILE --note TEXT]");
        args.publish(new DashboardBench(args).run());
        System.exit(0);
    }

    private String run() throws Exception {
        String url = args.get("db-url");
        String password = args.get("db-password", "montage");
        DatabaseConfig config = new DatabaseConfig(url, "montage_app", password, "montage_owner", password,
                "montage_system", 4, true);
        new Migrator(config).migrate();
        int items = args.integer("items", 1_000_000);
        line("# Console dashboard: its reads with " + Numbers.count(items) + " items queued");
        line("");
        line(Machine.describe() + ". Load average at start " + Machine.loadAverage() + ".");
        args.notes().forEach(this::line);
        line("");
        try (HikariDataSource app = BenchPools.open(url, "montage_app", password, false, 4, APPLICATION);
             HikariDataSource owner = BenchPools.open(url, "montage_owner", password, true, 1, APPLICATION)) {
            ExplainingDataSource explaining = new ExplainingDataSource(app);
            Database database = PoolConnections.database(explaining.dataSource(), config);
            long started = System.nanoTime();
            DashboardData.write(database, items, Files.readString(Path.of(args.get("manifest"))));
            vacuumAnalyze(owner);
            line("Data: " + describe(database) + ", written and VACUUM ANALYZEd in "
                    + Numbers.num((System.nanoTime() - started) / 1e9) + " s.");
            line("");
            reads(database, explaining);
            outcomeWrites(database, owner);
        }
        line("Load average at the end " + Machine.loadAverage() + ".");
        line("");
        line("## Plans (EXPLAIN (ANALYZE, BUFFERS), the last of " + EXPLAINS + " runs after the timed ones)");
        line("");
        plans.forEach(plan -> line("```\n" + plan.strip() + "\n```\n"));
        return report.toString();
    }

    // ---- the dashboard's reads ----------------------------------------------------------------------------------

    private void reads(Database database, ExplainingDataSource explaining) {
        Throughput throughput = new Throughput(database);
        QueueDepth queueDepth = new QueueDepth(database);
        RecentFailures failures = new RecentFailures(database);
        List<Read> reads = List.of(
                new Read("`Throughput.lastHour()`", "60 minutes × running workers of `throughput`", throughput::lastHour),
                new Read("`QueueDepth.now()`", "the jobs in flight (partial index `jobs_in_flight`)", queueDepth::now),
                new Read("`RecentFailures.latest(15)`", "the newest " + RecentFailures.SCANNED
                        + " entries of `items_failed_recent`, their items and jobs", () -> failures.latest(15)),
                // WorkerRepository.newest()'s and ModelRepository.listByName()'s @Query: a Micronaut Data
                // repository needs the application context, which would start the worker on the bench's classpath
                new Read("workers (`WorkerRegistry.list()`)", "at most 200 rows of `workers`",
                        () -> rows(database, "SELECT * FROM workers ORDER BY started_at DESC LIMIT 200")),
                new Read("models (`ModelRegistry.list()`, only when a worker lists a model the console has not seen)",
                        "every row of `models` (the manifests not parsed here)",
                        () -> rows(database, "SELECT * FROM models ORDER BY name, created_at DESC")),
                new Read("not made: pending items counted", "every item",
                        () -> rows(database, "SELECT count(*) FROM items WHERE status = 'pending'")),
                new Read("not made: items finished in the last hour counted", "every item",
                        () -> rows(database, "SELECT count(*), count(*) FILTER (WHERE status = 'failed') FROM items "
                                + "WHERE finished_at > now() - interval '1 hour'")));
        int runs = args.integer("runs", 30);
        line("## Each read, " + runs + " timed runs after 5 untimed (warm cache)");
        line("");
        line("Wall time is the production call from the bench (a pooled connection, the transaction, `SET LOCAL ROLE`, "
                + "the statement, the rows); EXPLAIN's execution time and buffers are the statement's own.");
        line("");
        line("| read | what it reads | wall p50 ms | wall p90 ms | wall max ms | EXPLAIN ms (median of " + EXPLAINS
                + ") | buffers |");
        line("|---|---|---|---|---|---|---|");
        for (Read read : reads) {
            Latencies wall = time(read.call(), runs);
            double[] executions = new double[EXPLAINS];
            List<String> explained = List.of();
            for (int i = 0; i < EXPLAINS; i++) {
                explained = explaining.plansOf(read.call()); // each read sends one query
                executions[i] = Double.parseDouble(first(EXECUTION, explained.getFirst()));
            }
            plans.addAll(explained);
            line("| " + read.name() + " | " + read.reads() + " | " + Numbers.num(wall.median()) + " | "
                    + Numbers.num(wall.percentile(90)) + " | " + Numbers.num(wall.max()) + " | "
                    + Numbers.num(new Latencies(executions).median()) + " | " + first(BUFFERS, explained.getFirst())
                    + " |");
        }
        Latencies refresh = time(() -> reads.subList(0, 4).stream().map(r -> r.call().get()).toList(), runs);
        line("");
        line("One whole refresh (the first four reads one after the other, as the console's refresh thread makes them): "
                + "p50 " + Numbers.num(refresh.median()) + " ms, p90 " + Numbers.num(refresh.percentile(90)) + " ms.");
        line("");
    }

    // ---- what the partial index costs the writers ---------------------------------------------------------------

    /**
     * Completes tasks of the queued jobs through {@link TaskLeases#complete} (one outcome in 20 failed) in rounds with
     * and without {@code items_failed_recent}, alternating, so that a neighbour's burst hurts both alike.
     */
    private void outcomeWrites(Database database, HikariDataSource owner) throws Exception {
        TaskLeases queue = new TaskLeases(database, queueConfig(), new RetryPolicy(queueConfig()));
        int tasks = args.integer("write-tasks", 100);
        line("## Writing outcomes with and without the partial index `items_failed_recent`");
        line("");
        line("Rounds of " + tasks + " tasks (100 items each, one outcome in " + FAILED_EVERY + " failed) claimed and "
                + "completed through `TaskLeases.complete`, one at a time; ms per task.");
        line("");
        line("| round | index | ms per task (mean) | p90 |");
        line("|---|---|---|---|");
        UUID worker = UUID.randomUUID();
        for (int round = 1; round <= 6; round++) {
            boolean indexed = round % 2 == 1;
            ddl(owner, indexed ? "CREATE INDEX IF NOT EXISTS items_failed_recent ON items (finished_at DESC) "
                    + "WHERE status = 'failed'" : "DROP INDEX IF EXISTS items_failed_recent");
            double[] millis = new double[tasks];
            for (int i = 0; i < tasks; i++) {
                ClaimedTask task = queue.claim(worker, List.of(EmbedJob.NAME), 1).getFirst();
                List<ItemOutcome> outcomes = new ArrayList<>();
                for (TaskItem item : queue.items(task)) {
                    outcomes.add(item.seq() % FAILED_EVERY == 0
                            ? ItemOutcome.failed(item.seq(), "image_unreadable", "the image could not be decoded")
                            : ItemOutcome.succeeded(item.seq(), "{\"embedding\":\"" + "A".repeat(340) + "\"}"));
                }
                long began = System.nanoTime();
                queue.complete(task, outcomes);
                millis[i] = (System.nanoTime() - began) / 1e6;
            }
            Latencies latencies = new Latencies(millis);
            line("| " + round + " | " + (indexed ? "yes" : "no") + " | " + Numbers.num(latencies.mean()) + " | "
                    + Numbers.num(latencies.percentile(90)) + " |");
        }
        ddl(owner, "CREATE INDEX IF NOT EXISTS items_failed_recent ON items (finished_at DESC) WHERE status = 'failed'");
        line("");
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static QueueConfig queueConfig() {
        return new QueueConfig(100, 5, Duration.ofSeconds(60), Duration.ofSeconds(2), Duration.ofMinutes(5),
                Duration.ofDays(7), 3);
    }

    private static Latencies time(Supplier<?> call, int runs) {
        for (int i = 0; i < 5; i++) {
            call.get();
        }
        double[] millis = new double[runs];
        for (int i = 0; i < runs; i++) {
            long began = System.nanoTime();
            call.get();
            millis[i] = (System.nanoTime() - began) / 1e6;
        }
        return new Latencies(millis);
    }

    /** Runs {@code sql} as the system role, as the console's reads do; returns how many rows it gave. */
    private static int rows(Database database, String sql) {
        return database.asSystem(c -> {
            try (PreparedStatement select = c.prepareStatement(sql); ResultSet rs = select.executeQuery()) {
                int n = 0;
                while (rs.next()) {
                    n++;
                }
                return n;
            }
        });
    }

    private static void vacuumAnalyze(HikariDataSource owner) throws Exception {
        ddl(owner, "VACUUM (ANALYZE) tenants, workers, jobs, tasks, items, throughput, models");
    }

    private static void ddl(HikariDataSource owner, String sql) throws Exception {
        try (Connection c = owner.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** What was written, counted as the system role (the owner is inside the row-level security policies). */
    private static String describe(Database database) {
        return database.asSystem(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT (SELECT count(*) FROM items WHERE status = 'pending'), "
                            + "(SELECT count(*) FROM items WHERE status <> 'pending'), "
                            + "(SELECT count(*) FROM items WHERE status = 'failed'), (SELECT count(*) FROM tasks), "
                            + "(SELECT count(*) FROM jobs), (SELECT count(*) FROM throughput), "
                            + "(SELECT count(*) FROM workers), pg_size_pretty(pg_total_relation_size('items')), "
                            + "pg_size_pretty(pg_relation_size('items_failed_recent'))")) {
                rs.next();
                return Numbers.count(rs.getLong(1)) + " pending items and " + Numbers.count(rs.getLong(2))
                        + " finished ones (" + Numbers.count(rs.getLong(3)) + " failed) in "
                        + Numbers.count(rs.getLong(4)) + " tasks and " + Numbers.count(rs.getLong(5)) + " jobs of "
                        + DashboardData.TENANTS + " tenants; " + Numbers.count(rs.getLong(6))
                        + " throughput rows (a day of " + DashboardData.RUNNING_WORKERS + " running workers), "
                        + Numbers.count(rs.getLong(7)) + " workers, " + DashboardData.MODELS
                        + " models. `items` with its indexes: " + rs.getString(8) + "; `items_failed_recent`: "
                        + rs.getString(9);
            }
        });
    }

    private static String first(Pattern pattern, String plan) {
        Matcher matcher = pattern.matcher(plan);
        return matcher.find() ? matcher.group(1) : "–";
    }


    private void line(String text) {
        report.append(text).append('\n');
    }
}
