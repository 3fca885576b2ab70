package io.montage.console.tenants;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.textfield.TextField;
import io.micronaut.context.annotation.Prototype;
import io.montage.datasets.Dataset;
import io.montage.datasets.DatasetSpace;
import io.montage.datasets.Datasets;
import io.montage.evaluation.GateMetric;
import io.montage.evaluation.GatePolicy;
import io.montage.evaluation.promotion.TenantGate;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A tenant's promotion gate in the settings dialog: on or off, the gate dataset (the tenant's own or, prefixed
 * {@code shared/}, the shared space's), the metric, the margin and whether collections are gated too. Reads and
 * checks what was entered; storing it is the dialog's (an audited admin action).
 */
@Prototype
class PromotionGateFields extends FormLayout {

    private static final String SHARED = "shared/";

    private final Datasets datasets;
    private final Checkbox enabled = new Checkbox("Gate default-model switches on an evaluation");
    private final ComboBox<String> dataset = new ComboBox<>("Gate dataset");
    private final ComboBox<GateMetric> metric = new ComboBox<>("Gate metric");
    private final TextField margin = new TextField("Margin");
    private final Checkbox collections = new Checkbox("Gate collections' model switches too");

    PromotionGateFields(Datasets datasets) {
        this.datasets = datasets;
        enabled.setId("gate-enabled");
        dataset.setId("gate-dataset");
        dataset.setHelperText("Compared on its newest version; shared/… is the shared space's");
        metric.setId("gate-metric");
        metric.setItems(GateMetric.values());
        metric.setItemLabelGenerator(GateMetric::wireName);
        margin.setId("gate-margin");
        margin.setHelperText("Allowed when candidate ≥ incumbent − margin (0: at least as good; 0.005: may lose "
                + "half a point)");
        collections.setId("gate-collections");
        add(enabled, dataset, metric, margin, collections);
    }

    /** Shows the tenant's gate (the default policy, off, when it has none). */
    void show(UUID tenantId, Optional<TenantGate> gate) {
        List<String> names = new ArrayList<>(datasets.list(DatasetSpace.of(tenantId)).stream().map(Dataset::name)
                .toList());
        datasets.list(DatasetSpace.SHARED).forEach(d -> names.add(SHARED + d.name()));
        dataset.setItems(names);
        GatePolicy policy = gate.map(TenantGate::policy).orElse(GatePolicy.DEFAULT);
        enabled.setValue(gate.map(TenantGate::enabled).orElse(false));
        dataset.setValue(gate.map(g -> (g.shared() ? SHARED : "") + g.datasetName()).orElse(null));
        metric.setValue(policy.metric());
        margin.setValue(BigDecimal.valueOf(policy.margin()).stripTrailingZeros().toPlainString());
        collections.setValue(gate.map(TenantGate::collections).orElse(false));
        margin.setInvalid(false);
        dataset.setInvalid(false);
    }

    /** Whether what was entered can be stored; a field in error says what to enter. */
    boolean valid() {
        dataset.setInvalid(false);
        margin.setInvalid(false);
        if (enabled.getValue() && blank(dataset.getValue())) {
            return error(dataset, "Choose the dataset the gate compares on");
        }
        BigDecimal value = marginValue();
        if (value == null || value.abs().compareTo(BigDecimal.ONE) > 0 || value.stripTrailingZeros().scale() > 5) {
            return error(margin, "Enter a number between -1 and 1 with at most 5 decimals, e.g. 0 or 0.005");
        }
        return true;
    }

    /** What was entered ({@link #valid} first): empty when the gate is off and names no dataset. */
    Optional<TenantGate> entered() {
        String name = dataset.getValue();
        if (blank(name)) {
            return Optional.empty();
        }
        boolean shared = name.startsWith(SHARED);
        return Optional.of(new TenantGate(enabled.getValue(), shared ? name.substring(SHARED.length()) : name, shared,
                new GatePolicy(metric.getOptionalValue().orElse(GatePolicy.DEFAULT.metric()),
                        marginValue().doubleValue()), collections.getValue()));
    }

    /** The gate as one line for the audit log. */
    static String describe(Optional<TenantGate> gate) {
        return gate.map(g -> (g.enabled() ? "on" : "off") + ", " + (g.shared() ? SHARED : "") + g.datasetName() + ", "
                + g.policy().metric().wireName() + " margin " + g.policy().margin()
                + (g.collections() ? ", collections too" : "")).orElse("none");
    }

    private BigDecimal marginValue() {
        try {
            return new BigDecimal(margin.getValue().strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static boolean error(HasValidation field, String message) {
        field.setErrorMessage(message);
        field.setInvalid(true);
        return false;
    }
}
