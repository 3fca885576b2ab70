package io.montage.bench.soak;

import io.montage.bench.NamedArgs;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for PostgreSQL's autovacuum on the queue tables, with its default thresholds: VACUUM a table once its
 * dead rows pass 50 + 20 % of its rows, ANALYZE it once the rows changed since the last analyze pass 50 + 10 %,
 * checked every minute (autovacuum_naptime). The shared test cluster runs with {@code autovacuum = off}
 * (/etc/postgresql/15/main/conf.d/90-ci.conf), while a production cluster runs autovacuum; without it a
 * million-item job is never analyzed, the claim plans with no statistics, and each claim took ~4 s (measured in the
 * first 1M run: 100 items finished in 20 s until an ANALYZE by hand). Also a main, to run it beside a soak started
 * without it: {@code Autovacuum --db-url JDBC --db-password P [--db-user montage_owner] [--every 60]}.
 */
final class Autovacuum implements AutoCloseable {

    private static final String STATS = """
            SELECT s.relname, s.n_dead_tup, s.n_mod_since_analyze, greatest(c.reltuples, 0)
            FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
            WHERE s.schemaname = 'public' AND s.relname IN ('items', 'tasks', 'jobs')
            """;

    private final Connection connection;
    private final AtomicInteger vacuums = new AtomicInteger();
    private final AtomicInteger analyzes = new AtomicInteger();

    Autovacuum(String url, String user, String password) throws SQLException {
        connection = DriverManager.getConnection(url, user, password); // autocommit: VACUUM runs outside a transaction
    }

    public static void main(String[] argv) throws Exception {
        NamedArgs args = NamedArgs.parse(argv, List.of("db-url", "db-password"),
                "Autovacuum --db-url JDBC --db-password P [--db-user montage_owner] [--every 60]");
        try (Autovacuum autovacuum = new Autovacuum(args.get("db-url"), args.get("db-user", "montage_owner"),
                args.get("db-password"))) {
            while (true) {
                autovacuum.pass();
                Thread.sleep(args.integer("every", 60) * 1000L);
            }
        }
    }

    /** One check of the three tables; runs what their counters call for and says so on stderr. */
    synchronized void pass() throws SQLException {
        List<String> commands = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(STATS)) {
            while (rs.next()) {
                double rows = rs.getDouble(4);
                boolean vacuum = rs.getLong(2) > 50 + 0.2 * rows;
                boolean analyze = rs.getLong(3) > 50 + 0.1 * rows;
                if (vacuum || analyze) {
                    commands.add((vacuum && analyze ? "VACUUM (ANALYZE) " : vacuum ? "VACUUM " : "ANALYZE ")
                            + rs.getString(1));
                }
            }
        }
        for (String command : commands) {
            long started = System.nanoTime();
            try (Statement s = connection.createStatement()) {
                s.execute(command);
            }
            if (command.startsWith("VACUUM")) {
                vacuums.incrementAndGet();
            }
            if (command.contains("ANALYZE")) {
                analyzes.incrementAndGet();
            }
            System.err.printf("%s autovacuum stand-in: %s (%.1f s)%n", LocalTime.now().truncatedTo(ChronoUnit.SECONDS),
                    command, (System.nanoTime() - started) / 1e9);
        }
    }

    int vacuums() {
        return vacuums.get();
    }

    int analyzes() {
        return analyzes.get();
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
