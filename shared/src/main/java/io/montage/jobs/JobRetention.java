package io.montage.jobs;

import io.montage.db.Database;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;

/**
 * Deletes finished jobs whose retention ran out, with their inputs, tasks and results (the rows cascade). A job
 * still running is kept until it finishes. Safe on every node at once (SKIP LOCKED), so every worker runs it.
 */
@Singleton
public class JobRetention {

    private final Database database;

    public JobRetention(Database database) {
        this.database = database;
    }

    /** Deletes up to {@code limit} expired jobs; returns how many. */
    public int deleteExpired(int limit) {
        return database.asSystem(c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE expires_at < now() "
                            + "AND status IN ('succeeded', 'failed', 'cancelled') LIMIT ? FOR UPDATE SKIP LOCKED)")) {
                delete.setInt(1, limit);
                return delete.executeUpdate();
            }
        });
    }
}
