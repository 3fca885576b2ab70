package io.montage.jobs;

import io.montage.db.Database;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;

/**
 * How many tasks wait for a model: the api answers a synchronous request at once instead of queueing it behind a
 * backlog it would time out in. One scan of the partial index {@code tasks_waiting_by_model}, stopped after
 * {@code atMost} rows, so a deep backlog costs no more to count than the bound.
 */
@Singleton
public class QueueBacklog {

    private final Database database;

    public QueueBacklog(Database database) {
        this.database = database;
    }

    /** Tasks of {@code priority} for the model that wait to be claimed (queued or retrying), counted up to {@code atMost}. */
    public int waitingTasks(UUID modelId, int priority, int atMost) {
        return database.asSystem(c -> {
            // the statuses are literals, as in the index predicate, so that every plan (generic ones too) uses it
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT count(*) FROM (SELECT 1 FROM tasks WHERE model_id = ? AND priority = ? "
                            + "AND status IN ('queued', 'retrying') LIMIT ?) waiting")) {
                select.setObject(1, modelId);
                select.setInt(2, priority);
                select.setInt(3, atMost);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }
}
