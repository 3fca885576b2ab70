package io.montage.console.tenants;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.function.ValueProvider;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import io.micronaut.context.annotation.Prototype;
import io.montage.console.access.AdminActions;
import io.montage.console.access.Feedback;
import io.montage.console.keys.ApiKeysView;
import io.montage.console.navigation.MainLayout;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.models.ModelStatus;
import io.montage.quotas.QuotaUsage;
import io.montage.quotas.Quotas;
import io.montage.quotas.TenantQuotas;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;

import java.text.NumberFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Every tenant with its status, quotas and today's usage, and its default model; create, suspend and resume, and
 * edit its quotas and default model ({@link TenantSettings}).
 */
@Prototype
@Route(value = "tenants", layout = MainLayout.class)
@PageTitle("Tenants · Montage console")
public class TenantsView extends VerticalLayout {

    /** A tenant with the quotas in force, what it uses of them, and its default model. */
    record Row(Tenant tenant, TenantQuotas quotas, QuotaUsage usage, String defaultModel) {
    }

    private static final NumberFormat NUMBER = NumberFormat.getIntegerInstance(Locale.ROOT);

    private final TenantService tenants;
    private final Quotas quotas;
    private final ModelRegistry registry;
    private final AdminActions actions;
    private final TenantSettings settings;
    private final Grid<Row> grid = new Grid<>();

    public TenantsView(TenantService tenants, Quotas quotas, ModelRegistry registry, AdminActions actions,
                TenantSettings settings) {
        this.tenants = tenants;
        this.quotas = quotas;
        this.registry = registry;
        this.actions = actions;
        this.settings = settings;
        setSizeFull();
        add(new H2("Tenants"), createForm(), grid);
        columns();
        refresh();
    }

    private HorizontalLayout createForm() {
        TextField slug = new TextField("Slug");
        slug.setId("new-tenant-slug");
        slug.setHelperText("a-z, 0-9 and '-'");
        TextField name = new TextField("Name");
        name.setId("new-tenant-name");
        Button create = new Button("Create tenant", e -> {
            String wanted = slug.getValue().strip();
            String label = name.getValue().isBlank() ? wanted : name.getValue().strip();
            if (Feedback.attempt(() -> actions.perform("tenant.create", "tenant " + wanted, "name " + label,
                    () -> tenants.create(wanted, label)))) {
                Feedback.done("Tenant " + wanted + " created.");
                slug.clear();
                name.clear();
                refresh();
            }
        });
        create.setId("create-tenant");
        create.addThemeVariants(ButtonVariant.PRIMARY);
        HorizontalLayout form = new HorizontalLayout(slug, name, create);
        form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        return form;
    }

    private void columns() {
        grid.setId("tenants");
        // wrapped cells of fixed widths: every column fits beside the buttons at a laptop's width
        grid.addThemeVariants(GridVariant.ROW_STRIPES, GridVariant.WRAP_CELL_CONTENT);
        column(r -> r.tenant().slug() + " · " + r.tenant().name(), "Tenant", "9rem");
        column(r -> r.tenant().status(), "Status", "7rem");
        column(Row::defaultModel, "Default model", "9rem");
        column(r -> NUMBER.format(r.usage().itemsToday()) + " / " + NUMBER.format(r.quotas().itemsPerDay()),
                "Items today / day", "8.5rem");
        column(r -> r.usage().inflightJobs() + " / " + r.quotas().inflightJobs(), "Bulk jobs", "5rem");
        column(r -> NUMBER.format(r.usage().collectionItems()) + " / " + NUMBER.format(r.quotas().collectionItems()),
                "Collection items", "8.5rem");
        column(r -> r.quotas().requestsPerMinute() + "/min, burst " + r.quotas().burst(), "Rate per key", "7rem");
        grid.addComponentColumn(this::actions).setHeader("").setWidth("16rem").setFlexGrow(0).setFrozenToEnd(true);
    }

    /** Widths in rem, not em: an em is the cell's font, smaller in the header, which drew it apart from the rows. */
    private void column(ValueProvider<Row, String> value, String header, String width) {
        grid.addColumn(value).setHeader(header).setWidth(width);
    }

    private HorizontalLayout actions(Row row) {
        Tenant tenant = row.tenant();
        Button keys = new Button("API keys", e -> e.getSource().getUI().ifPresent(ui -> ui.navigate(ApiKeysView.class,
                new RouteParameters("slug", tenant.slug()))));
        keys.setId("keys-" + tenant.slug());
        keys.addThemeVariants(ButtonVariant.SMALL);
        Button edit = new Button("Edit", e -> settings.edit(tenant, this::refresh));
        edit.setId("edit-" + tenant.slug());
        edit.addThemeVariants(ButtonVariant.SMALL);
        edit.setTooltipText("Quotas, rate limit and default model");
        boolean active = tenant.active();
        Button status = new Button(active ? "Suspend" : "Resume", e -> setStatus(tenant, active ? Tenant.SUSPENDED : Tenant.ACTIVE));
        status.setId((active ? "suspend-" : "resume-") + tenant.slug());
        status.addThemeVariants(ButtonVariant.SMALL, active ? ButtonVariant.ERROR : ButtonVariant.SUCCESS);
        HorizontalLayout buttons = new HorizontalLayout(keys, edit, status);
        buttons.setSpacing(false);
        buttons.getThemeList().add("spacing-xs"); // narrow: the grid's other columns stay in view
        return buttons;
    }

    private void setStatus(Tenant tenant, String status) {
        String action = Tenant.SUSPENDED.equals(status) ? "tenant.suspend" : "tenant.resume";
        if (Feedback.attempt(() -> actions.perform(action, "tenant " + tenant.slug(), null,
                () -> tenants.setStatus(tenant.id(), status)))) {
            Feedback.done("Tenant " + tenant.slug() + " is " + status + ".");
            refresh();
        }
    }

    private void refresh() {
        Map<String, String> defaultModels = defaultModels();
        grid.setItems(tenants.list().stream()
                .map(t -> new Row(t, quotas.of(t.id()), quotas.usage(t.id()),
                        defaultModels.getOrDefault(t.slug(), "none")))
                .toList());
    }

    /** Each tenant's default model by slug, marked when it no longer serves (its requests then need to name one). */
    private Map<String, String> defaultModels() {
        Map<UUID, List<String>> slugsByModel = registry.tenantDefaults();
        Map<String, String> bySlug = new HashMap<>();
        for (Model model : registry.list()) {
            String shown = model.reference()
                    + (model.status() == ModelStatus.READY ? "" : " (" + model.status().wireName() + ")");
            slugsByModel.getOrDefault(model.id(), List.of()).forEach(slug -> bySlug.put(slug, shown));
        }
        return bySlug;
    }
}
