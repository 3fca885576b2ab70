package io.montage.workers;

import io.montage.db.Database;
import io.montage.db.Rows;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** Where workers say they exist, what they can run, and that they are alive. */
@Singleton
public class WorkerRegistry {

    private final Database database;

    public WorkerRegistry(Database database) {
        this.database = database;
    }

    public void register(UUID id, String host, long pid, Collection<String> capabilities) {
        database.asSystem(c -> {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO workers (id, host, pid, capabilities) VALUES (?, ?, ?, ?)")) {
                insert.setObject(1, id);
                insert.setString(2, host);
                insert.setLong(3, pid);
                insert.setArray(4, c.createArrayOf("text", capabilities.toArray()));
                insert.executeUpdate();
            }
            return null;
        });
    }

    /** Records what the worker can run now (task types, loaded models). */
    public void updateCapabilities(UUID id, Collection<String> capabilities) {
        database.asSystem(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE workers SET capabilities = ? WHERE id = ?")) {
                update.setArray(1, c.createArrayOf("text", capabilities.toArray()));
                update.setObject(2, id);
                update.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Whether a worker that heartbeated within {@code freshness} and is not stopping has {@code capability}: the
     * api answers 503 at once, instead of timing out, when nobody could run a request.
     */
    public boolean anyLiveWorkerHas(String capability, java.time.Duration freshness) {
        return database.asSystem(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT EXISTS (SELECT 1 FROM workers WHERE status = 'running' AND ? = ANY(capabilities) "
                            + "AND heartbeat_at > now() - make_interval(secs => ?))")) {
                select.setString(1, capability);
                select.setDouble(2, freshness.toMillis() / 1000.0);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }
        });
    }

    /** Says the worker is alive; leaves its status alone (a draining worker still heartbeats). */
    public void heartbeat(UUID id) {
        database.asSystem(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE workers SET heartbeat_at = now() WHERE id = ?")) {
                update.setObject(1, id);
                update.executeUpdate();
            }
            return null;
        });
    }

    public void draining(UUID id) {
        setStatus(id, "draining", "heartbeat_at = now()");
    }

    public void stopped(UUID id) {
        setStatus(id, "stopped", "stopped_at = now()");
    }

    private void setStatus(UUID id, String status, String alsoSet) {
        database.asSystem(c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE workers SET status = ?, " + alsoSet + " WHERE id = ?")) {
                update.setString(1, status);
                update.setObject(2, id);
                update.executeUpdate();
            }
            return null;
        });
    }

    /** The most recently started workers (at most 200), newest first, whatever their status. */
    public List<WorkerNode> list() {
        return database.asSystem(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT id, host, pid, capabilities, status, started_at, heartbeat_at, stopped_at FROM workers "
                            + "ORDER BY started_at DESC LIMIT 200");
                 ResultSet rs = select.executeQuery()) {
                List<WorkerNode> nodes = new ArrayList<>();
                while (rs.next()) {
                    nodes.add(new WorkerNode(rs.getObject("id", UUID.class), rs.getString("host"), rs.getLong("pid"),
                            Arrays.asList((String[]) rs.getArray("capabilities").getArray()), rs.getString("status"),
                            Rows.instant(rs, "started_at"), Rows.instant(rs, "heartbeat_at"),
                            Rows.instant(rs, "stopped_at")));
                }
                return nodes;
            }
        });
    }
}
