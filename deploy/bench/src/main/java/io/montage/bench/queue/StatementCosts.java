package io.montage.bench.queue;

import io.montage.bench.Numbers;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Where PostgreSQL's time per job goes, statement by statement, from {@code pg_stat_statements} (planning tracked,
 * nested statements too: the claim function's own statement shows beside its call). Only on a cluster that preloads
 * the module (run-queue-bench.sh --statements makes a private one: the shared cluster's restart would cut everyone
 * else's connections). Each side's round is measured alone: reset before, read after.
 */
final class StatementCosts {

    private static final int SHOWN = 10;
    private static final int QUERY_CHARS = 90;

    private StatementCosts() {
    }

    static void reset(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_statements_reset()");
        }
    }

    /**
     * The side's statements of this database, most time first, as markdown lines: calls, planning and execution
     * milliseconds per job; the top-level statements' sum against {@code cpuMsPerJob}, PostgreSQL's CPU per job in the
     * same round (what statements do not account for: parsing, the protocol, commits, the WAL writer, autovacuum).
     */
    static List<String> report(Connection c, String side, int jobs, double cpuMsPerJob) throws SQLException {
        List<String> lines = new ArrayList<>(List.of("", "Statements of " + side + " per job (" + jobs + " jobs, "
                        + "pg_stat_statements; nested: inside a function's call, counted in the call's time too):", "",
                "| statement | level | calls | plan ms | exec ms | rows |", "|---|---|---:|---:|---:|---:|"));
        double topLevel = 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT regexp_replace(query, '\\s+', ' ', 'g'), toplevel, calls, total_plan_time, total_exec_time, rows
                  FROM pg_stat_statements
                 WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                   AND query NOT LIKE '%pg_stat_statements%'
                 ORDER BY total_plan_time + total_exec_time DESC""")) {
            int shown = 0;
            while (rs.next()) {
                boolean top = rs.getBoolean(2);
                if (top) {
                    topLevel += rs.getDouble(4) + rs.getDouble(5);
                }
                if (shown++ < SHOWN) {
                    String query = rs.getString(1);
                    lines.add("| `" + (query.length() > QUERY_CHARS ? query.substring(0, QUERY_CHARS) + "…" : query)
                            .replace("|", "\\|") + "` | " + (top ? "top" : "nested") + " | "
                            + Numbers.num(rs.getDouble(3) / jobs) + " | " + Numbers.num(rs.getDouble(4) / jobs) + " | "
                            + Numbers.num(rs.getDouble(5) / jobs) + " | " + Numbers.num(rs.getDouble(6) / jobs) + " |");
                }
            }
        }
        lines.add("");
        lines.add("Top-level statements: " + Numbers.num(topLevel / jobs) + " ms per job of PostgreSQL's "
                + Numbers.num(cpuMsPerJob) + " ms of CPU per job in the round.");
        return lines;
    }
}
