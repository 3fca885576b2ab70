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
 * A tenant's quotas and rate limit, each a value of its own or (left empty) the configured default, and the model
 * its requests use when they name none. Saving is two admin actions, each audited with before → after: the
 * quotas ({@code tenant.set-quotas}) and the default model ({@code tenant.set-default-model}), each only if changed.
 */
@Prototype
class TenantSettings extends Dialog {

    private static final NumberFormat NUMBER = NumberFormat.getIntegerInstance(Locale.ROOT);

    private final Quotas quotas;
    private final ModelRegistry registry;
    private final AdminActions actions;
    private final Binder<QuotaOverrides> binder = new Binder<>(QuotaOverrides.class);
    private final ComboBox<Model> model = new ComboBox<>("Default model");
    private Tenant tenant;
    private QuotaOverrides own;
    private Optional<Model> currentModel;
    private Runnable saved;

    TenantSettings(Quotas quotas, QuotaDefaults defaults, ModelRegistry registry, AdminActions actions) {
        this.quotas = quotas;
        this.registry = registry;
        this.actions = actions;
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
        Button save = new Button("Save", e -> save());
        save.setId("save-tenant-settings");
        save.addThemeVariants(ButtonVariant.PRIMARY);
        Button cancel = new Button("Cancel", e -> close());
        cancel.setId("cancel-tenant-settings");
        add(new Paragraph("An empty field is the platform's default (montage.quotas.*, shown in grey): a changed "
                + "default reaches this tenant too. Quotas apply from the next request; a changed rate limit within "
                + "the api's rate-limit.limits-for (30 s)."), form);
        getFooter().add(cancel, save);
    }

    /** Opens the dialog on the tenant as it is now; {@code saved} runs after a change was made. */
    void edit(Tenant edited, Runnable afterSave) {
        tenant = edited;
        saved = afterSave;
        own = quotas.own(tenant.id());
        binder.readRecord(own);
        List<Model> ready = registry.ready();
        currentModel = registry.tenantDefault(tenant.id());
        model.setItems(ready);
        model.setValue(currentModel.flatMap(m -> ready.stream().filter(r -> r.id().equals(m.id())).findFirst())
                .orElse(null));
        setHeaderTitle("Quotas and default model of " + tenant.slug());
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

    private void save() {
        QuotaOverrides wanted;
        try {
            wanted = binder.writeRecord();
        } catch (ValidationException invalid) {
            return; // each field in error says what to enter
        }
        Model chosen = model.getValue();
        boolean quotasChange = !wanted.equals(own);
        boolean modelChanges = chosen != null && !currentModel.map(m -> m.id().equals(chosen.id())).orElse(false);
        String target = "tenant " + tenant.slug();
        if (quotasChange && !Feedback.attempt(() -> actions.perform("tenant.set-quotas", target,
                wanted.changesFrom(own), () -> quotas.set(tenant.id(), wanted)))) {
            return;
        }
        own = wanted;
        if (modelChanges && !Feedback.attempt(() -> actions.perform("tenant.set-default-model", target,
                "model " + currentModel.map(Model::reference).orElse("none") + " → " + chosen.reference(), () -> {
                    registry.setTenantDefault(tenant.id(), chosen.id());
                    return chosen;
                }))) {
            return;
        }
        close();
        if (quotasChange || modelChanges) {
            Feedback.done("Tenant " + tenant.slug() + " saved.");
            saved.run();
        }
    }
}
