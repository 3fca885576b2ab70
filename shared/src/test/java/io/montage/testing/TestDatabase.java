package io.montage.testing;

import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.UUID;

/**
 * A throwaway database per test JVM, cloned from {@code montage_template} (which deploy/local/setup-db.sh
 * prepares with pgvector), so tests run against real PostgreSQL without touching the development database.
 * Dropped when the JVM exits.
 */
public final class TestDatabase {

    private static final String HOST = env("MONTAGE_DB_HOST", "127.0.0.1");
    private static final String PORT = env("MONTAGE_DB_PORT", "5432");
    private static final String OWNER = env("MONTAGE_DB_OWNER", "montage_owner");
    private static final String PASSWORD = env("MONTAGE_DB_PASSWORD", "montage");
    private static String url;
    /** Closed before the database is dropped, newest first, so nothing still running sees it vanish. */
    private static final Deque<AutoCloseable> USERS = new ArrayDeque<>();

    private TestDatabase() {
    }

    /** Micronaut properties that point every bean at this JVM's test database. */
    public static synchronized Map<String, Object> properties() {
        if (url == null) {
            url = create();
        }
        return properties(url);
    }

    /**
     * Properties of another throwaway database, for a platform of its own (an api and a worker process that must
     * see no other test's jobs or models); also dropped when the JVM exits.
     */
    public static Map<String, Object> another() {
        return properties(create());
    }

    /**
     * A schema of its own (created if missing) in the database these properties name, logged in as the owner role,
     * with {@code public} (pgvector's types) after it on the search path: for another tool's tables.
     */
    public static DataSource ownerDataSource(Map<String, Object> database, String schema) throws SQLException {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUrl((String) database.get("montage.database.url"));
        source.setUser(OWNER);
        source.setPassword(PASSWORD);
        try (Connection c = source.getConnection(); Statement create = c.createStatement()) {
            create.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        }
        source.setCurrentSchema(schema + ",public");
        return source;
    }

    private static Map<String, Object> properties(String url) {
        return Map.of("montage.database.url", url, "montage.database.password", PASSWORD,
                "montage.database.owner-password", PASSWORD);
    }

    private static String create() {
        String name = "montage_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        admin("CREATE DATABASE " + name + " TEMPLATE montage_template");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            closeUsers();
            admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }));
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + name;
    }

    /** Registers something that uses the database (an application context) to close before the drop. */
    public static synchronized void closeBeforeDrop(AutoCloseable user) {
        USERS.push(user);
    }

    private static synchronized void closeUsers() {
        while (!USERS.isEmpty()) {
            try {
                USERS.pop().close();
            } catch (Exception e) {
                System.err.println("closing a test context failed: " + e);
            }
        }
    }

    /** A connection as the owner role, for tests that must look underneath the application's view. */
    public static Connection ownerConnection() throws SQLException {
        properties();
        return DriverManager.getConnection(url, OWNER, PASSWORD);
    }

    private static void admin(String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/postgres", OWNER, PASSWORD);
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot " + sql + " (did deploy/local/setup-db.sh run?): " + e.getMessage(), e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
