package io.montage.bench.soak;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/** The queue tables' on-disk sizes, read over one connection held for the run (sizes need no row access: no RLS). */
final class TableSizes implements AutoCloseable {

    /** MiB: the table's own pages, its TOAST (large inputs and results), its indexes. */
    record Size(double heap, double toast, double indexes) {
    }

    private static final String QUERY = """
            SELECT c.relname, pg_relation_size(c.oid), pg_total_relation_size(c.oid) - pg_relation_size(c.oid)
                   - pg_indexes_size(c.oid), pg_indexes_size(c.oid)
            FROM pg_class c
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relname IN ('items', 'tasks', 'jobs')
            """;
    private static final double MIB = 1024.0 * 1024.0;

    private final Connection connection;

    TableSizes(String url, String user, String password) throws SQLException {
        connection = DriverManager.getConnection(url, user, password);
    }

    Map<String, Size> read() throws SQLException {
        Map<String, Size> sizes = new HashMap<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(QUERY)) {
            while (rs.next()) {
                sizes.put(rs.getString(1), new Size(rs.getLong(2) / MIB, rs.getLong(3) / MIB, rs.getLong(4) / MIB));
            }
        }
        for (String table : new String[] {"items", "tasks", "jobs"}) {
            if (!sizes.containsKey(table)) {
                throw new SQLException("no table public." + table);
            }
        }
        return sizes;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
