package io.montage.evaluation.promotion;

import io.montage.datasets.Datasets;
import io.montage.db.Database;
import io.montage.errors.MontageException;
import io.montage.evaluation.GateMetric;
import io.montage.evaluation.GatePolicy;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;
import java.util.UUID;

/** Reads and stores each tenant's promotion gate ({@code promotion_gates}, V25; no row = the gate is off). */
@Singleton
public class TenantGates {

    private final Database database;
    private final Datasets datasets;

    TenantGates(Database database, Datasets datasets) {
        this.database = database;
        this.datasets = datasets;
    }

    /** The tenant's gate settings, on or off; empty when never set. */
    public Optional<TenantGate> of(UUID tenantId) {
        return database.inTenant(tenantId, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT enabled, dataset_name, dataset_space, metric, "
                    + "margin, collections FROM promotion_gates WHERE tenant_id = ?")) {
                select.setObject(1, tenantId);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    // a metric this version does not know (a downgrade) reads as the default rather than failing
                    GateMetric metric = GateMetric.byWireName(rs.getString(4)).orElse(GatePolicy.DEFAULT.metric());
                    return Optional.of(new TenantGate(rs.getBoolean(1), rs.getString(2),
                            "shared".equals(rs.getString(3)), new GatePolicy(metric, rs.getBigDecimal(5).doubleValue()),
                            rs.getBoolean(6)));
                }
            }
        });
    }

    /**
     * Stores the tenant's gate. Its dataset must exist now (in the named space) and the margin fits the column's
     * five decimals; a dataset deleted later refuses promotions until the gate names another
     * ({@code gate_dataset_missing}).
     */
    public void set(UUID tenantId, TenantGate gate) {
        if (datasets.find(gate.space(tenantId), gate.datasetName()).isEmpty()) {
            throw MontageException.invalid("gate_dataset_not_found", "no dataset '" + gate.datasetName() + "' in the "
                    + (gate.shared() ? "shared space" : "tenant's space") + " to gate promotions on");
        }
        BigDecimal margin = BigDecimal.valueOf(gate.policy().margin());
        if (margin.stripTrailingZeros().scale() > 5) {
            throw MontageException.invalid("invalid_gate_policy", "give the margin with at most 5 decimals, not "
                    + margin.toPlainString());
        }
        database.inTenant(tenantId, c -> {
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO promotion_gates (tenant_id, enabled, "
                    + "dataset_name, dataset_space, metric, margin, collections) VALUES (?, ?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (tenant_id) DO UPDATE SET enabled = excluded.enabled, dataset_name = "
                    + "excluded.dataset_name, dataset_space = excluded.dataset_space, metric = excluded.metric, "
                    + "margin = excluded.margin, collections = excluded.collections, updated_at = now()")) {
                upsert.setObject(1, tenantId);
                upsert.setBoolean(2, gate.enabled());
                upsert.setString(3, gate.datasetName());
                upsert.setString(4, gate.shared() ? "shared" : "tenant");
                upsert.setString(5, gate.policy().metric().wireName());
                upsert.setBigDecimal(6, margin);
                upsert.setBoolean(7, gate.collections());
                return upsert.executeUpdate();
            }
        });
    }
}
