package io.montage.bench.queue;

import io.montage.jobs.contracts.EchoJob;
import com.zaxxer.hikari.HikariDataSource;
import io.montage.bench.BenchPools;
import io.montage.bench.Machine;
import io.montage.bench.NamedArgs;
import io.montage.bench.Numbers;
import io.montage.bench.PoolConnections;
import io.montage.bench.cpu.CpuUsage;
import io.montage.bench.cpu.ProcessSet;
import io.montage.db.Database;
import io.montage.db.DatabaseConfig;
import io.montage.db.Migrator;
import io.montage.jobs.ClaimedTask;
import io.montage.jobs.ItemOutcome;
import io.montage.jobs.JobIntake;
import io.montage.jobs.TaskLeases;
import io.montage.jobs.NewItem;
import io.montage.jobs.NewJob;
import io.montage.jobs.Priority;
import io.montage.jobs.QueueConfig;
import io.montage.jobs.RetryPolicy;
import io.montage.jobs.TaskItem;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the queue costs per job against the local limit: single-item echo jobs submitted, claimed and completed per
 * second through {@link JobIntake} and {@link TaskLeases} (the production class: tenant transaction under row-level security, job + task +
 * item rows, fair claim, lease, per-item outcome, job counters) against a bare {@code FOR UPDATE SKIP LOCKED} loop in
 * plain JDBC on the same database (one row per job, claim and complete in autocommit). Both run with the same
 * producers and consumers, alternating rounds, so the ratio holds on a noisy machine. Each round also reports the
 * CPU each side used per job, in this client and in PostgreSQL's backends of the bench's database: on a machine
 * whose cores others keep busy, rates follow the load, CPU time per job much less.
 *
 * <p>It needs a database of its own, cloned from montage_template (run-queue-bench.sh makes and drops one).
 */
public final class QueueBench {

    private static final String USAGE = "QueueBench --db-url URL [--db-password P] [--jobs N] [--producers P] "
            + "[--consumers C] [--rounds R] [--statements on] [--out FILE] [--note TEXT]";
    private static final String BARE_TABLE = """
            CREATE TABLE bench_bare_queue (
                id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                status     text  NOT NULL DEFAULT 'queued',
                input      jsonb NOT NULL,
                result     jsonb,
                claimed_by uuid
            );
            CREATE INDEX bench_bare_claimable ON bench_bare_queue (id) WHERE status = 'queued'""";
    private static final String BARE_CLAIM = """
            UPDATE bench_bare_queue SET status = 'running', claimed_by = ?
            WHERE id = (SELECT id FROM bench_bare_queue WHERE status = 'queued' ORDER BY id
                        FOR UPDATE SKIP LOCKED LIMIT 1)
            RETURNING id, input""";

    /** One way to run jobs: submit one, and claim-and-complete one (false when none was claimable). */
    private interface Queue {
        void submit(int n) throws SQLException;

        boolean claimAndComplete(UUID worker) throws SQLException;
    }

    public static void main(String[] argv) throws Exception {
        NamedArgs args = NamedArgs.parse(argv, List.of("db-url"), USAGE);
        String url = args.get("db-url");
        String password = args.get("db-password", "montage");
        DatabaseConfig config = new DatabaseConfig(url, "montage_app", password, "montage_owner", password,
                "montage_system", 16, true);
        new Migrator(config).migrate();
        int jobs = args.integer("jobs", 3000);
        int producers = args.integer("producers", 2);
        int consumers = args.integer("consumers", 2);
        List<String> report = new ArrayList<>(List.of("# Queue: single-item echo jobs per second", "",
                Machine.describe() + "; load average " + Machine.loadAverage() + ". " + String.join(" ", args.notes()),
                "", jobs + " jobs a round, " + producers + " producers and " + consumers
                        + " consumers (threads, a pool connection each) submitting and claiming at once.", "",
                "| round | bare SKIP LOCKED loop (jobs/s) | JobIntake + TaskLeases (jobs/s) | ratio "
                        + "| CPU ms per job, bare: postgres + client | montage: postgres + client "
                        + "| empty claims per job, bare | montage |",
                "|---|---|---|---|---|---|---|---|"));
        List<ProcessSet> cpu = List.of(ProcessSet.postgresBackends(url.substring(url.lastIndexOf('/') + 1)),
                ProcessSet.pid("client", ProcessHandle.current().pid()));
        try (HikariDataSource owner = BenchPools.open(url, "montage_owner", password, true, 8, "queue-bench bare");
             HikariDataSource app = BenchPools.open(url, "montage_app", password, false, 8, "queue-bench montage")) {
            Queue bare = bare(owner);
            Database database = PoolConnections.database(app, config);
            Queue montage = montage(database, tenant(database));
            List<Double> ratios = new ArrayList<>();
            List<String> statements = new ArrayList<>();
            run(bare, jobs / 5, producers, consumers); // warm-up: JIT, plans, buffers
            run(montage, jobs / 5, producers, consumers);
            int rounds = args.integer("rounds", 3);
            for (int round = 1; round <= rounds; round++) {
                boolean traced = args.has("statements") && round == rounds; // the last round, warmest
                CpuUsage.Measured<Round> bareRun = traced(owner, traced, () -> CpuUsage.measure(cpu,
                        () -> run(bare, jobs, producers, consumers)), "the bare loop", jobs, statements);
                CpuUsage.Measured<Round> montageRun = traced(owner, traced, () -> CpuUsage.measure(cpu,
                        () -> run(montage, jobs, producers, consumers)), "JobIntake + TaskLeases", jobs, statements);
                double ratio = montageRun.result().rate() / bareRun.result().rate();
                ratios.add(ratio);
                report.add("| " + round + " | " + Numbers.count(bareRun.result().rate()) + " | "
                        + Numbers.count(montageRun.result().rate()) + " | " + Numbers.num(ratio) + "× | "
                        + perJob(bareRun.cpu(), jobs) + " | " + perJob(montageRun.cpu(), jobs) + " | "
                        + Numbers.num((double) bareRun.result().emptyClaims() / jobs) + " | "
                        + Numbers.num((double) montageRun.result().emptyClaims() / jobs) + " |");
            }
            report.add("");
            report.add("Median ratio " + Numbers.num(ratios.stream().sorted().toList().get(ratios.size() / 2))
                    + "× (goal ≥ 0.7×). Load average after: " + Machine.loadAverage() + ".");
            report.addAll(statements);
        } // the pools' backends exit here, and with them their table statistics reach pg_stat_user_tables
        report.addAll(rowsPerJob(url, password, jobs / 5 + jobs * args.integer("rounds", 3)));
        args.publish(String.join("\n", report));
    }

    /**
     * What each side wrote per job, from pg_stat_user_tables once the pools are closed: rows inserted, updated (of
     * which HOT: no index touched) and deleted, per table, and the table's indexes (each non-HOT write adds an entry to
     * every index whose predicate the new row matches).
     */
    private static List<String> rowsPerJob(String url, String password, int jobs) throws Exception {
        List<String> lines = new ArrayList<>(List.of("", "Rows written per job (" + jobs + " jobs each side, warm-up "
                        + "included; pg_stat_user_tables):", "",
                "| table | inserted | updated | of which HOT | deleted | indexes |", "|---|---:|---:|---:|---:|---:|"));
        Thread.sleep(2000); // backends report their statistics as they exit
        try (Connection c = java.sql.DriverManager.getConnection(url, "montage_owner", password);
             Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("""
                     SELECT t.relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del,
                            (SELECT count(*) FROM pg_index i WHERE i.indrelid = t.relid)
                       FROM pg_stat_user_tables t
                      WHERE t.relname IN ('jobs', 'tasks', 'items', 'bench_bare_queue') ORDER BY 1""")) {
            while (rows.next()) {
                lines.add("| " + rows.getString(1) + " | " + Numbers.num(rows.getDouble(2) / jobs) + " | "
                        + Numbers.num(rows.getDouble(3) / jobs) + " | " + Numbers.num(rows.getDouble(4) / jobs) + " | "
                        + Numbers.num(rows.getDouble(5) / jobs) + " | " + rows.getLong(6) + " |");
            }
        }
        return lines;
    }

    private interface MeasuredRound {
        CpuUsage.Measured<Round> run() throws Exception;
    }

    /** {@code round}, its statements' costs added to {@code lines} when {@code traced} ({@link StatementCosts}). */
    private static CpuUsage.Measured<Round> traced(HikariDataSource owner, boolean traced, MeasuredRound round,
                                                   String side, int jobs, List<String> lines) throws Exception {
        if (!traced) {
            return round.run();
        }
        try (Connection c = owner.getConnection()) {
            StatementCosts.reset(c);
            CpuUsage.Measured<Round> measured = round.run();
            lines.addAll(StatementCosts.report(c, side, jobs, measured.cpu().byProcess().get("postgres") / jobs));
            return measured;
        }
    }

    /** "postgres + client" CPU milliseconds per job. */
    private static String perJob(CpuUsage cpu, int jobs) {
        return Numbers.num(cpu.byProcess().get("postgres") / jobs) + " + "
                + Numbers.num(cpu.byProcess().get("client") / jobs);
    }

    /**
     * A round: jobs per second from the first submission to the last completion, and the claims that found nothing
     * (a consumer asks again at once: ahead of the producers, consumers spin on empty claims).
     */
    private record Round(double rate, long emptyClaims) {
    }

    private static Round run(Queue queue, int jobs, int producers, int consumers) throws InterruptedException {
        AtomicInteger submitted = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        AtomicLong empty = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int p = 0; p < producers; p++) {
            threads.add(Thread.ofPlatform().start(() -> {
                int n;
                while ((n = submitted.getAndIncrement()) < jobs) {
                    int job = n;
                    unchecked(() -> queue.submit(job));
                }
            }));
        }
        for (int c = 0; c < consumers; c++) {
            UUID worker = UUID.randomUUID();
            threads.add(Thread.ofPlatform().start(() -> {
                while (completed.get() < jobs) {
                    boolean[] done = new boolean[1];
                    unchecked(() -> done[0] = queue.claimAndComplete(worker));
                    if (done[0]) {
                        completed.incrementAndGet();
                    } else {
                        empty.incrementAndGet();
                        Thread.onSpinWait();
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return new Round(jobs / ((System.nanoTime() - start) / 1e9), empty.get());
    }

    private static Queue bare(HikariDataSource owner) throws SQLException {
        try (Connection c = owner.getConnection(); Statement s = c.createStatement()) {
            for (String statement : BARE_TABLE.split(";")) {
                s.execute(statement);
            }
        }
        return new Queue() {
            @Override
            public void submit(int n) throws SQLException {
                try (Connection c = owner.getConnection();
                     PreparedStatement insert = c.prepareStatement("INSERT INTO bench_bare_queue (input) VALUES (?::jsonb)")) {
                    insert.setString(1, "{\"x\":" + n + "}");
                    insert.executeUpdate();
                }
            }

            @Override
            public boolean claimAndComplete(UUID worker) throws SQLException {
                try (Connection c = owner.getConnection();
                     PreparedStatement claim = c.prepareStatement(BARE_CLAIM);
                     PreparedStatement complete = c.prepareStatement(
                             "UPDATE bench_bare_queue SET status = 'succeeded', result = ?::jsonb WHERE id = ?")) {
                    claim.setObject(1, worker);
                    try (ResultSet claimed = claim.executeQuery()) {
                        if (!claimed.next()) {
                            return false;
                        }
                        complete.setString(1, "{\"echo\":" + claimed.getString(2) + "}");
                        complete.setLong(2, claimed.getLong(1));
                    }
                    complete.executeUpdate();
                    return true;
                }
            }
        };
    }

    private static Queue montage(Database database, UUID tenant) {
        QueueConfig config = new QueueConfig(100, 5, Duration.ofMinutes(1), Duration.ofSeconds(2),
                Duration.ofMinutes(5), Duration.ofDays(1), 3); // the defaults of montage.queue.*
        JobIntake queue = new JobIntake(database, config);
        TaskLeases leases = new TaskLeases(database, config, new RetryPolicy(config));
        return new Queue() {
            @Override
            public void submit(int n) {
                queue.submit(tenant, new NewJob(EchoJob.NAME, Priority.BULK, "{}",
                        List.of(new NewItem(null, "{\"x\":" + n + "}"))));
            }

            @Override
            public boolean claimAndComplete(UUID worker) {
                List<ClaimedTask> claimed = leases.claim(worker, List.of(EchoJob.NAME), 1);
                if (claimed.isEmpty()) {
                    return false;
                }
                ClaimedTask task = claimed.getFirst();
                List<ItemOutcome> outcomes = leases.items(task).stream()
                        .map((TaskItem item) -> ItemOutcome.succeeded(item.seq(), "{\"echo\":" + item.inputJson() + "}"))
                        .toList();
                leases.complete(task, outcomes);
                return true;
            }
        };
    }

    private static UUID tenant(Database database) {
        return database.asSystem(c -> {
            try (Statement s = c.createStatement(); ResultSet made = s.executeQuery(
                    "INSERT INTO tenants (slug, name) VALUES ('queue-bench', 'Queue bench') RETURNING id")) {
                made.next();
                return made.getObject(1, UUID.class);
            }
        });
    }

    private interface SqlRun {
        void run() throws SQLException;
    }

    private static void unchecked(SqlRun run) {
        try {
            run.run();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
