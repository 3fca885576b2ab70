package io.montage.evaluation.promotion;

import io.montage.db.Database;
import io.montage.evaluation.GateMetric;
import io.montage.evaluation.Scorecard;
import io.montage.json.JsonCodec;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The evidence the gate compares: a model version's latest measured results on a dataset version, read from the
 * tenant's evaluation runs (the {@code gate} values the metrics module stored when the run's job finished). A model
 * whose job failed in a run has no results there and so is no evidence; another model of the same run still is.
 */
@Singleton
class Scorecards {

    private final Database database;
    private final JsonCodec json;

    Scorecards(Database database, JsonCodec json) {
        this.database = database;
        this.json = json;
    }

    /** {@code label} names the dataset version in the scorecard (the gate compares it to its own label). */
    Optional<Scorecard> latest(UUID tenantId, UUID datasetVersionId, UUID modelId, String label) {
        return database.inTenant(tenantId, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT m.run_id, m.model_ref, m.results -> 'gate' "
                    + "FROM eval_run_models m JOIN eval_runs r ON r.id = m.run_id WHERE r.dataset_version_id = ? "
                    + "AND m.model_id = ? AND m.results IS NOT NULL ORDER BY m.finished_at DESC LIMIT 1")) {
                select.setObject(1, datasetVersionId);
                select.setObject(2, modelId);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Scorecard(rs.getObject(1, UUID.class), rs.getString(2), label,
                            values(rs.getString(3))));
                }
            }
        });
    }

    private Map<GateMetric, Double> values(String gateJson) {
        Map<GateMetric, Double> values = new EnumMap<>(GateMetric.class);
        if (gateJson == null) {
            return values;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> stored = json.read(gateJson, Map.class);
        stored.forEach((name, value) -> GateMetric.byWireName(name).ifPresent(metric -> {
            if (value instanceof Number number) {
                values.put(metric, number.doubleValue());
            }
        }));
        return values;
    }
}
