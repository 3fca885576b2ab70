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
