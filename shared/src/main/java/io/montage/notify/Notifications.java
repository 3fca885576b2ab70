package io.montage.notify;

import io.montage.db.DatabaseConfig;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * PostgreSQL LISTEN on one dedicated connection per process, fanned out to in-process subscribers.
 * Notifications only wake; they can be missed (e.g. while reconnecting), so after a reconnect every subscriber is
 * called with a {@code null} payload, meaning "something may have happened: look at the tables".
 */
@Singleton
public class Notifications {

    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);
    private static final int POLL_MILLIS = 500;

    private final DatabaseConfig config;
    private final Map<String, List<Consumer<String>>> subscribers = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private Thread thread;

    public Notifications(DatabaseConfig config) {
        this.config = config;
    }

    /** Calls {@code handler} with each payload sent on {@code channel} (null after a reconnect). */
    public synchronized AutoCloseable subscribe(String channel, Consumer<String> handler) {
        subscribers.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(handler);
        if (thread == null) {
            thread = Thread.ofPlatform().daemon().name("montage-listen").start(this::listenLoop);
        }
        return () -> subscribers.getOrDefault(channel, List.of()).remove(handler);
    }

    private void listenLoop() {
        long backoff = 100;
        while (running) {
            try (Connection connection = DriverManager.getConnection(config.url(), config.user(), config.password())) {
                connection.setAutoCommit(true);
                PGConnection pg = connection.unwrap(PGConnection.class);
                Set<String> listening = new HashSet<>();
                wakeEveryone();
                backoff = 100;
                while (running) {
                    listenToNewChannels(connection, listening);
                    PGNotification[] received = pg.getNotifications(POLL_MILLIS);
                    if (received != null) {
                        for (PGNotification n : received) {
                            deliver(n.getName(), n.getParameter());
                        }
                    }
                }
            } catch (SQLException e) {
                if (!running) {
                    return;
                }
                LOG.warn("LISTEN connection lost ({}); reconnecting in {} ms", e.getMessage(), backoff);
                sleep(backoff);
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    private void listenToNewChannels(Connection connection, Set<String> listening) throws SQLException {
        for (String channel : subscribers.keySet()) {
            if (listening.add(channel)) {
                try (Statement listen = connection.createStatement()) {
                    listen.execute("LISTEN \"" + channel.replace("\"", "\"\"") + "\"");
                }
                deliver(channel, null); // anything sent before we listened was missed
            }
        }
    }

    private void wakeEveryone() {
        subscribers.keySet().forEach(channel -> deliver(channel, null));
    }

    private void deliver(String channel, String payload) {
        for (Consumer<String> handler : subscribers.getOrDefault(channel, List.of())) {
            try {
                handler.accept(payload);
            } catch (RuntimeException e) {
                LOG.warn("notification handler for {} failed", channel, e);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    synchronized void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(POLL_MILLIS * 4L);
        }
    }
}
