package io.montage.bench.bulk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time (user + system) of the platform's processes, read from /proc: the api and worker JVMs by pid, and the
 * PostgreSQL backends serving the benchmark's database (found in pg_stat_activity at each snapshot; a backend that
 * appears between two snapshots counts from zero). Everything on this machine shares 2 cores, so "where the CPU
 * went" is the most honest breakdown of the platform's overhead that needs no change to the platform.
 */
final class ProcCpu {

    /** Clock ticks per second for /proc/<pid>/stat (USER_HZ; 100 on Linux x86-64). */
    private static final double HZ = 100.0;

    private final Map<String, Long> pids;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final String database;

    ProcCpu(Map<String, Long> pids, String jdbcUrl, String user, String password, String database) {
        this.pids = pids;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.database = database;
    }

    /** Seconds of CPU per process (label → pid's seconds) and per postgres backend (pid → seconds). */
    record Snapshot(Map<String, Double> processes, Map<Long, Double> backends) {

        /** CPU seconds used between {@code before} and this snapshot, by label ("postgres" = all backends). */
        Map<String, Double> since(Snapshot before) {
            Map<String, Double> out = new LinkedHashMap<>();
            processes.forEach((label, seconds) -> out.put(label, seconds - before.processes.getOrDefault(label, seconds)));
            double pg = 0;
            for (Map.Entry<Long, Double> backend : backends.entrySet()) {
                pg += backend.getValue() - before.backends.getOrDefault(backend.getKey(), 0.0);
            }
            if (!backends.isEmpty() || !before.backends.isEmpty()) {
                out.put("postgres", pg);
            }
            return out;
        }
    }

    Snapshot snapshot() {
        Map<String, Double> processes = new LinkedHashMap<>();
        pids.forEach((label, pid) -> processes.put(label, seconds(pid)));
        processes.put("bench client", seconds(ProcessHandle.current().pid()));
        Map<Long, Double> backends = new HashMap<>();
        for (long pid : backendPids()) {
            double s = seconds(pid);
            if (!Double.isNaN(s)) {
                backends.put(pid, s);
            }
        }
        return new Snapshot(processes, backends);
    }

    private List<Long> backendPids() {
        if (jdbcUrl == null || database == null) {
            return List.of();
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
             PreparedStatement select = c.prepareStatement(
                     "SELECT pid FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
            select.setString(1, database);
            try (ResultSet rs = select.executeQuery()) {
                List<Long> out = new java.util.ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
                return out;
            }
        } catch (SQLException e) {
            return List.of();
        }
    }

    /** utime + stime of a process (all its threads), in seconds; NaN when it is gone. */
    static double seconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // the command name (field 2) may hold spaces: fields are counted after its closing parenthesis
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / HZ;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
