package io.montage.chaos;

import com.zaxxer.hikari.HikariDataSource;
import io.montage.bench.BenchPools;
import io.montage.bench.NamedArgs;
import io.montage.bench.PoolConnections;
import io.montage.db.Database;
import io.montage.db.DatabaseConfig;
import io.montage.jobs.Job;
import io.montage.jobs.JobIntake;
import io.montage.jobs.NewItem;
import io.montage.jobs.NewJob;
import io.montage.jobs.Priority;
import io.montage.jobs.QueueConfig;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * The chaos experiments' side of the database (see README.md): {@code submit} chaos jobs through the real queue,
 * {@code cancel} them as their tenant would (the scale-out runs end a measurement window so), {@code fates} checks
 * every item of the jobs by its {@code custom_id}
 * and prints one line per job. Wired by hand over a pool, as the benches are: a Micronaut context would start the
 * worker that is on this classpath.
 */
public final class ChaosJobs {

    private static final String USAGE = "ChaosJobs submit|fates|cancel --db-url URL [--db-password P] "
            + "[--jobs N --items N --sleep-ms MS --poison SEQ --items-per-task N] [--job-ids ID,ID --expect-failed CUSTOM_ID=CODE]";

    private ChaosJobs() {
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            System.err.println("usage: " + USAGE);
            System.exit(2);
        }
        NamedArgs args = NamedArgs.parse(java.util.Arrays.copyOfRange(argv, 1, argv.length), List.of("db-url"), USAGE);
        String url = args.get("db-url");
        String password = args.get("db-password", "montage");
        DatabaseConfig config = new DatabaseConfig(url, "montage_app", password, "montage_owner", password,
                "montage_system", 4, true);
        try (HikariDataSource app = BenchPools.open(url, "montage_app", password, false, 4, "chaos")) {
            Database database = PoolConnections.database(app, config);
            switch (argv[0]) {
                case "submit" -> submit(database, args);
                case "fates" -> System.exit(fates(database, args) ? 0 : 1);
                case "cancel" -> cancel(database, args);
                default -> {
                    System.err.println("usage: " + USAGE);
                    System.exit(2);
                }
            }
        }
    }

    /** Prints the ids of {@code --jobs} jobs of {@code --items} items each, item {@code --poison} (if any) fatal. */
    private static void submit(Database database, NamedArgs args) {
        JobIntake intake = intake(database, args.integer("items-per-task", 100));
        UUID tenant = tenant(database);
        int items = args.integer("items", 1000);
        int sleep = args.integer("sleep-ms", 5);
        int poison = args.integer("poison", -1);
        for (int j = 0; j < args.integer("jobs", 1); j++) {
            List<NewItem> list = IntStream.range(0, items).mapToObj(i -> new NewItem("c" + i,
                    "{\"sleep_ms\":" + sleep + (i == poison ? ",\"exit\":137" : "") + "}")).toList();
            Job job = intake.submit(tenant, new NewJob(ChaosJob.NAME, Priority.BULK, "{}", list));
            System.out.println(job.id());
        }
    }

    private static JobIntake intake(Database database, int itemsPerTask) {
        return new JobIntake(database, new QueueConfig(itemsPerTask, 5, Duration.ofMinutes(1), Duration.ofSeconds(2),
                Duration.ofMinutes(5), Duration.ofDays(1), 3));
    }

    /** Cancels the jobs {@code --job-ids} through the queue, as their tenant's DELETE would. */
    private static void cancel(Database database, NamedArgs args) {
        JobIntake intake = intake(database, 100);
        for (String id : args.get("job-ids", "").split(",")) {
            UUID job = UUID.fromString(id.trim());
            UUID tenant = database.asSystem(c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT tenant_id FROM jobs WHERE id = ?")) {
                    s.setObject(1, job);
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        return rs.getObject(1, UUID.class);
                    }
                }
            });
            intake.cancel(tenant, job);
        }
    }

    private static UUID tenant(Database database) {
        return database.asSystem(c -> {
            try (Statement s = c.createStatement(); ResultSet made = s.executeQuery(
                    "INSERT INTO tenants (slug, name) VALUES ('chaos-" + UUID.randomUUID().toString().substring(0, 8)
                            + "', 'Chaos experiments') RETURNING id")) {
                made.next();
                return made.getObject(1, UUID.class);
            }
        });
    }

    /**
     * One line per job: its items by status and error code, and whether every custom_id c0…c(n-1) is there exactly
     * once, the job's counters equal its item rows (a duplicated completion would count twice), and the failures
     * are exactly {@code --expect-failed}.
     */
    private static boolean fates(Database database, NamedArgs args) {
        Map<String, String> expectedFailures = new TreeMap<>();
        for (String pair : args.get("expect-failed", "").split(",")) {
            if (!pair.isBlank()) {
                expectedFailures.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        boolean all = true;
        for (String id : args.get("job-ids", "").split(",")) {
            UUID job = UUID.fromString(id.trim());
            Fate fate = database.asSystem(c -> fate(c, job));
            boolean ok = fate.lost() == 0 && fate.duplicated() == 0 && fate.countersMatch()
                    && fate.failures().equals(expectedFailures) && fate.pending() == 0;
            all &= ok;
            System.out.println((ok ? "ok" : "FAILED") + " job " + job + ": " + fate.items() + " items, "
                    + fate.succeeded() + " succeeded, failed " + fate.failures() + ", " + fate.pending() + " pending, "
                    + fate.lost() + " lost, " + fate.duplicated() + " duplicated, counters "
                    + (fate.countersMatch() ? "match" : "DO NOT match") + " the item rows; " + fate.tasks()
                    + " tasks (split ones included)");
        }
        return all;
    }

    private record Fate(int items, int succeeded, int pending, Map<String, String> failures, int lost, int duplicated,
                        boolean countersMatch, int tasks) {
    }

    private static Fate fate(Connection c, UUID job) throws SQLException {
        int total;
        int succeededCounter;
        int failedCounter;
        try (PreparedStatement s = c.prepareStatement(
                "SELECT total_items, succeeded_items, failed_items FROM jobs WHERE id = ?")) {
            s.setObject(1, job);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("no job " + job);
                }
                total = rs.getInt(1);
                succeededCounter = rs.getInt(2);
                failedCounter = rs.getInt(3);
            }
        }
        int succeeded = 0;
        int pending = 0;
        Map<String, String> failures = new TreeMap<>();
        List<String> seen = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT custom_id, status, error_code FROM items WHERE job_id = ? ORDER BY seq")) {
            s.setObject(1, job);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    seen.add(rs.getString(1));
                    switch (rs.getString(2)) {
                        case "succeeded" -> succeeded++;
                        case "failed" -> failures.put(rs.getString(1), rs.getString(3));
                        default -> pending++;
                    }
                }
            }
        }
        Set<String> distinct = new HashSet<>(seen);
        int lost = (int) IntStream.range(0, total).filter(i -> !distinct.contains("c" + i)).count();
        int tasks;
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM tasks WHERE job_id = ?")) {
            s.setObject(1, job);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                tasks = rs.getInt(1);
            }
        }
        return new Fate(total, succeeded, pending, failures, lost, seen.size() - distinct.size(),
                succeededCounter == succeeded && failedCounter == failures.size(), tasks);
    }
}
