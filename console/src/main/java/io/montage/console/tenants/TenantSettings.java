package io.montage.console.tenants;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.binder.Binder;
import com.vaadin.flow.data.binder.ValidationException;
import com.vaadin.flow.data.converter.Converter;
import com.vaadin.flow.data.converter.StringToIntegerConverter;
import com.vaadin.flow.data.converter.StringToLongConverter;
import io.micronaut.context.annotation.Prototype;
import io.montage.console.access.AdminActions;
import io.montage.console.access.Feedback;
import io.montage.console.access.Operator;
import io.montage.console.access.SignedIn;
import io.montage.evaluation.promotion.GateCheck;
import io.montage.evaluation.promotion.Promotions;
import io.montage.evaluation.promotion.TenantGate;
import io.montage.evaluation.promotion.TenantGates;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.quotas.QuotaDefaults;
import io.montage.quotas.QuotaOverrides;
import io.montage.quotas.QuotaSetting;
import io.montage.quotas.Quotas;
import io.montage.tenants.Tenant;

import java.text.NumberFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * A tenant's quotas and rate limit, each a value of its own or (left empty) the configured default, its promotion
 * gate, and the model its requests use when they name none. Choosing another model shows the gate's decision and
 * its evidence; a refused switch takes a written reason to override. Saving is up to three admin actions, each
 * audited with before → after and only if changed: the quotas ({@code tenant.set-quotas}), the gate
 * ({@code tenant.set-promotion-gate}) and the default model ({@code tenant.set-default-model}, through
 * {@link Promotions}, which audits the decision and any override too).
 */
@Prototype
class TenantSettings extends Dialog {

    private static final NumberFormat NUMBER = NumberFormat.getIntegerInstance(Locale.ROOT);

    private final Quotas quotas;
    private final ModelRegistry registry;
    private final AdminActions actions;
    private final PromotionGateFields gateFields;
    private final TenantGates gates;
    private final Promotions promotions;
    private final Paragraph decision = new Paragraph();
    private final TextField overrideReason = new TextField("Override reason");
    private final Binder<QuotaOverrides> binder = new Binder<>(QuotaOverrides.class);
    private final ComboBox<Model> model = new ComboBox<>("Default model");
    private Tenant tenant;
    private QuotaOverrides own;
    private Optional<Model> currentModel;
    private Optional<TenantGate> currentGate;
    private Runnable saved;

    TenantSettings(Quotas quotas, QuotaDefaults defaults, ModelRegistry registry, AdminActions actions,
                   PromotionGateFields gateFields, TenantGates gates, Promotions promotions) {
        this.quotas = quotas;
        this.registry = registry;
        this.actions = actions;
        this.gateFields = gateFields;
        this.gates = gates;
        this.promotions = promotions;
        setId("tenant-settings");
        setWidth("44em");
        FormLayout form = new FormLayout(
                quota(QuotaSetting.ITEMS_PER_DAY, "Items per day (UTC)", defaults.itemsPerDay(),
                        StringToLongConverter::new, "itemsPerDay"),
                quota(QuotaSetting.INFLIGHT_JOBS, "Bulk jobs in flight", defaults.inflightJobs(),
                        StringToIntegerConverter::new, "inflightJobs"),
                quota(QuotaSetting.COLLECTION_ITEMS, "Collection items", defaults.collectionItems(),
                        StringToLongConverter::new, "collectionItems"),
                quota(QuotaSetting.REQUESTS_PER_MINUTE, "Requests per minute, per key", defaults.requestsPerMinute(),
                        StringToIntegerConverter::new, "requestsPerMinute"),
                quota(QuotaSetting.BURST, "Burst, per key", defaults.burst(), StringToIntegerConverter::new, "burst"),
                model);
        model.setId("tenant-default-model");
        model.setItemLabelGenerator(Model::reference);
        model.setHelperText("What the tenant's requests use when they name no model");
        model.addValueChangeListener(e -> showDecision());
        decision.setId("gate-decision");
        overrideReason.setId("gate-override-reason");
        overrideReason.setMaxLength(Promotions.MAX_REASON);
        overrideReason.setWidthFull();
        overrideReason.setHelperText("Why the switch goes ahead although the gate refuses it (kept in the audit log)");
        Button save = new Button("Save", e -> save());
        save.setId("save-tenant-settings");
        save.addThemeVariants(ButtonVariant.PRIMARY);
        Button cancel = new Button("Cancel", e -> close());
        cancel.setId("cancel-tenant-settings");
        add(new Paragraph("An empty field is the platform's default (montage.quotas.*, shown in grey): a changed "
                + "default reaches this tenant too. Quotas apply from the next request; a changed rate limit within "
                + "the api's rate-limit.limits-for (30 s)."), form, decision, overrideReason,
                new Paragraph("Promotion gate: a default-model switch goes ahead only when the candidate's latest "
                        + "evaluation on the gate dataset is at least as good as the incumbent's."), gateFields);
        getFooter().add(cancel, save);
    }

    /** Opens the dialog on the tenant as it is now; {@code saved} runs after a change was made. */
    void edit(Tenant edited, Runnable afterSave) {
        tenant = edited;
        saved = afterSave;
        own = quotas.own(tenant.id());
        binder.readRecord(own);
        // a fused model cannot be a default (Promotions refuses it): it serves /v1/predict only, named per request
        List<Model> ready = registry.ready().stream().filter(m -> !m.manifest().fused()).toList();
        currentModel = registry.tenantDefault(tenant.id());
        model.setItems(ready);
        currentGate = gates.of(tenant.id());
        gateFields.show(tenant.id(), currentGate);
        model.setValue(currentModel.flatMap(m -> ready.stream().filter(r -> r.id().equals(m.id())).findFirst())
                .orElse(null));
        overrideReason.clear();
        showDecision();
        setHeaderTitle("Quotas, promotion gate and default model of " + tenant.slug());
        open();
    }

    /**
     * A field for one setting: empty is the default (shown as its placeholder). The converter and the validator
     * say the same thing, so a word, a fraction and a number too small all get one clear message under the field.
     */
    private <N extends Number> TextField quota(QuotaSetting setting, String label, long byDefault,
                                               Function<String, Converter<String, N>> converter, String property) {
        TextField field = new TextField(label);
        field.setId("quota-" + setting.wireName());
        field.setPlaceholder("default: " + NUMBER.format(byDefault));
        field.setClearButtonVisible(true);
        String problem = "Enter a whole number of at least " + setting.minimum()
                + ", or leave it empty for the default (" + NUMBER.format(byDefault) + ")";
        binder.forField(field).withNullRepresentation("").withConverter(converter.apply(problem))
                .withValidator(value -> value == null || value.longValue() >= setting.minimum(), problem)
                .bind(property);
        return field;
    }

    /** The saved gate's decision on the chosen model, with its evidence; the reason field when it refuses. */
    private void showDecision() {
        Model chosen = model.getValue();
        Optional<GateCheck> check = tenant == null || !changes(chosen) ? Optional.empty()
                : promotions.checkDefault(tenant.id(), chosen);
        decision.setText(check.map(c -> (c.decision().allowed() ? "The promotion gate allows this switch. "
                : "The promotion gate refuses this switch; give a reason below to override it. ") + c.evidence())
                .orElse(""));
        decision.setVisible(check.isPresent());
        overrideReason.setVisible(check.map(c -> !c.decision().allowed()).orElse(false));
    }

    private boolean changes(Model chosen) {
        return chosen != null && !currentModel.map(m -> m.id().equals(chosen.id())).orElse(false);
    }

    private void save() {
        QuotaOverrides wanted;
        try {
            wanted = binder.writeRecord();
        } catch (ValidationException invalid) {
            gateFields.valid();
            return; // each field in error says what to enter
        }
        if (!gateFields.valid()) {
            return;
        }
        Optional<TenantGate> gate = gateFields.entered();
        Model chosen = model.getValue();
        boolean quotasChange = !wanted.equals(own);
        boolean gateChanges = gate.isPresent() && !gate.equals(currentGate);
        boolean modelChanges = changes(chosen);
        String target = "tenant " + tenant.slug();
        if (quotasChange && !Feedback.attempt(() -> actions.perform("tenant.set-quotas", target,
                wanted.changesFrom(own), () -> quotas.set(tenant.id(), wanted)))) {
            return;
        }
        own = wanted;
        if (gateChanges && !Feedback.attempt(() -> actions.perform("tenant.set-promotion-gate", target,
                PromotionGateFields.describe(currentGate) + " → " + PromotionGateFields.describe(gate), () -> {
                    gates.set(tenant.id(), gate.get());
                    return gate;
                }))) {
            return;
        }
        currentGate = gates.of(tenant.id());
        String actor = SignedIn.current().map(Operator::username).orElse(null);
        if (modelChanges && !Feedback.attempt(() -> actions.perform("tenant.set-default-model", target,
                "model " + currentModel.map(Model::reference).orElse("none") + " → " + chosen.reference(),
                () -> promotions.promoteDefault(actor, target, tenant.id(), chosen, overrideReason.getValue())))) {
            showDecision(); // by the gate as saved now
            return;
        }
        close();
        if (quotasChange || gateChanges || modelChanges) {
            Feedback.done("Tenant " + tenant.slug() + " saved.");
            saved.run();
        }
    }
}
