package io.montage.evaluation.runs;

import io.montage.db.Database;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A tenant's runs, newest first, as a list shows them: no metrics (a run's results can be large), only what tells
 * runs apart. Read-only; a run's status is as last completed ({@link EvalRuns#find} completes one).
 */
@Singleton
public class EvalRunIndex {

    /** One run: its dataset by name and version number (from the run's record) and its models' references. */
    public record Summary(UUID id, String task, String status, String dataset, int datasetVersion,
                          List<String> models, Instant createdAt, Instant finishedAt) {

        public boolean running() {
            return "running".equals(status);
        }
    }

    private final Database database;

    EvalRunIndex(Database database) {
        this.database = database;
    }

    /** The tenant's newest {@code limit} runs. */
    public List<Summary> newest(UUID tenantId, int limit) {
        return database.inTenant(tenantId, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT r.id, r.task, r.status, r.record->>'dataset', "
                    + "(r.record->>'dataset_version')::int, ARRAY(SELECT m.model_ref FROM eval_run_models m "
                    + "WHERE m.run_id = r.id ORDER BY m.position), r.created_at, r.finished_at FROM eval_runs r "
                    + "ORDER BY r.created_at DESC, r.id DESC LIMIT ?")) {
                select.setInt(1, limit);
                List<Summary> out = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Summary(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                                rs.getString(4), rs.getInt(5), Arrays.asList((String[]) rs.getArray(6).getArray()),
                                instant(rs.getTimestamp(7)), instant(rs.getTimestamp(8))));
                    }
                }
                return out;
            }
        });
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
