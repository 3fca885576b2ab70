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
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import io.micronaut.context.annotation.Prototype;
import io.montage.console.access.AdminActions;
import io.montage.console.access.Feedback;
import io.montage.console.keys.ApiKeysView;
import io.montage.console.navigation.MainLayout;
import io.montage.quotas.QuotaUsage;
import io.montage.quotas.Quotas;
import io.montage.quotas.TenantQuotas;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;

import java.text.NumberFormat;
import java.util.Locale;

/** Every tenant with its status, quotas and today's usage; create, suspend and resume. */
@Prototype
@Route(value = "tenants", layout = MainLayout.class)
@PageTitle("Tenants · Montage console")
public class TenantsView extends VerticalLayout {

    /** A tenant with the quotas in force and what it uses of them. */
    record Row(Tenant tenant, TenantQuotas quotas, QuotaUsage usage) {
    }

    private static final NumberFormat NUMBER = NumberFormat.getIntegerInstance(Locale.ROOT);

    private final TenantService tenants;
    private final Quotas quotas;
    private final AdminActions actions;
    private final Grid<Row> grid = new Grid<>();

    public TenantsView(TenantService tenants, Quotas quotas, AdminActions actions) {
        this.tenants = tenants;
        this.quotas = quotas;
        this.actions = actions;
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
        grid.addThemeVariants(GridVariant.ROW_STRIPES);
        grid.addColumn(r -> r.tenant().slug()).setHeader("Slug").setAutoWidth(true);
        grid.addColumn(r -> r.tenant().name()).setHeader("Name").setAutoWidth(true);
        grid.addColumn(r -> r.tenant().status()).setHeader("Status").setAutoWidth(true);
        grid.addColumn(r -> NUMBER.format(r.usage().itemsToday()) + " / " + NUMBER.format(r.quotas().itemsPerDay()))
                .setHeader("Items today / per day").setAutoWidth(true);
        grid.addColumn(r -> r.usage().inflightJobs() + " / " + r.quotas().inflightJobs())
                .setHeader("Bulk jobs in flight").setAutoWidth(true);
        grid.addColumn(r -> NUMBER.format(r.usage().collectionItems()) + " / " + NUMBER.format(r.quotas().collectionItems()))
                .setHeader("Collection items").setAutoWidth(true);
        grid.addColumn(r -> r.quotas().requestsPerMinute() + "/min, burst " + r.quotas().burst())
                .setHeader("Rate limit per key").setAutoWidth(true);
        grid.addComponentColumn(this::actions).setHeader("").setAutoWidth(true).setFrozenToEnd(true);
    }

    private HorizontalLayout actions(Row row) {
        Tenant tenant = row.tenant();
        Button keys = new Button("API keys", e -> e.getSource().getUI().ifPresent(ui -> ui.navigate(ApiKeysView.class,
                new RouteParameters("slug", tenant.slug()))));
        keys.setId("keys-" + tenant.slug());
        keys.addThemeVariants(ButtonVariant.SMALL);
        boolean active = tenant.active();
        Button status = new Button(active ? "Suspend" : "Resume", e -> setStatus(tenant, active ? Tenant.SUSPENDED : Tenant.ACTIVE));
        status.setId((active ? "suspend-" : "resume-") + tenant.slug());
        status.addThemeVariants(ButtonVariant.SMALL, active ? ButtonVariant.ERROR : ButtonVariant.SUCCESS);
        return new HorizontalLayout(keys, status);
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
        grid.setItems(tenants.list().stream()
                .map(t -> new Row(t, quotas.of(t.id()), quotas.usage(t.id())))
                .toList());
    }
}
