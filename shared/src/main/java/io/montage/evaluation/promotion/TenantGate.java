package io.montage.evaluation.promotion;

import io.montage.datasets.DatasetSpace;
import io.montage.errors.MontageException;
import io.montage.evaluation.GatePolicy;

import java.util.UUID;

/**
 * A tenant's promotion gate settings: whether the gate is on, its dataset (by name and space: each promotion
 * compares on that dataset's newest version and records which), the metric and margin, and whether a collection's
 * model switch is gated too.
 *
 * @param enabled     whether default-model switches are gated
 * @param datasetName the gate dataset's name
 * @param shared      whether the dataset is in the shared space (else the tenant's own)
 * @param policy      the metric and margin
 * @param collections whether collections' model switches are gated as well (only while {@code enabled})
 */
public record TenantGate(boolean enabled, String datasetName, boolean shared, GatePolicy policy,
                         boolean collections) {

    /** Longer than any dataset name (Datasets allows 100). */
    static final int MAX_NAME = 200;

    public TenantGate {
        if (datasetName == null || datasetName.isBlank() || datasetName.length() > MAX_NAME) {
            throw MontageException.invalid("invalid_gate_dataset", "the gate names its dataset (1 to " + MAX_NAME
                    + " characters)");
        }
        if (policy == null) {
            throw MontageException.invalid("invalid_gate_policy", "the gate needs a metric and a margin");
        }
    }

    /** The space the dataset is looked up in. */
    public DatasetSpace space(UUID tenantId) {
        return shared ? DatasetSpace.SHARED : DatasetSpace.of(tenantId);
    }

    /** Whether a collection's model switch goes through the gate. */
    public boolean gatesCollections() {
        return enabled && collections;
    }
}
