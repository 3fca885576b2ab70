package io.montage.console.keys;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.micronaut.context.annotation.Prototype;
import io.montage.apikeys.ApiKey;
import io.montage.apikeys.ApiKeyService;
import io.montage.apikeys.CreatedApiKey;
import io.montage.apikeys.Scope;
import io.montage.console.access.AdminActions;
import io.montage.console.access.Feedback;
import io.montage.console.navigation.Format;
import io.montage.console.navigation.MainLayout;
import io.montage.console.tenants.TenantsView;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** One tenant's API keys: create one (its secret shown once), see scopes, expiry and last use, revoke. */
@Prototype
@Route(value = "tenants/:slug/keys", layout = MainLayout.class)
@PageTitle("API keys · Montage console")
public class ApiKeysView extends VerticalLayout implements BeforeEnterObserver {

    private final TenantService tenants;
    private final ApiKeyService keys;
    private final AdminActions actions;
    private final H2 title = new H2();
    private final Grid<ApiKey> grid = new Grid<>();
    private Tenant tenant;

    public ApiKeysView(TenantService tenants, ApiKeyService keys, AdminActions actions) {
        this.tenants = tenants;
        this.keys = keys;
        this.actions = actions;
        setSizeFull();
        title.setId("keys-title");
        add(title, createForm(), grid);
        columns();
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        String slug = event.getRouteParameters().get("slug").orElse("");
        tenant = tenants.findBySlug(slug).orElse(null);
        if (tenant == null) {
            Feedback.error("There is no tenant '" + slug + "'.");
            event.forwardTo(TenantsView.class);
            return;
        }
        title.setText("API keys of " + tenant.slug() + (tenant.active() ? "" : " (suspended)"));
        refresh();
    }

    private HorizontalLayout createForm() {
        TextField name = new TextField("Key name");
        name.setId("new-key-name");
        CheckboxGroup<Scope> scopes = new CheckboxGroup<>("Scopes");
        scopes.setId("new-key-scopes");
        scopes.setItems(Scope.values());
        scopes.setItemLabelGenerator(Scope::wireName);
        scopes.setValue(EnumSet.allOf(Scope.class));
        DatePicker expires = new DatePicker("Expires (optional)");
        expires.setId("new-key-expires");
        Button create = new Button("Create key", e -> {
            if (create(name.getValue().strip(), scopes.getValue(),
                    expires.getValue() == null ? null : expires.getValue().atStartOfDay().toInstant(ZoneOffset.UTC))) {
                name.clear();
                expires.clear();
            }
        });
        create.setId("create-key");
        create.addThemeVariants(ButtonVariant.PRIMARY);
        HorizontalLayout form = new HorizontalLayout(name, scopes, expires, create);
        form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        form.setWrap(true);
        return form;
    }

    private boolean create(String name, Set<Scope> scopes, Instant expiresAt) {
        String detail = "name " + name + ", scopes " + wireNames(scopes) + (expiresAt == null ? "" : ", expires " + expiresAt);
        CreatedApiKey[] created = new CreatedApiKey[1];
        if (Feedback.attempt(() -> created[0] = actions.perform("key.create", "tenant " + tenant.slug(), detail,
                () -> keys.create(tenant.id(), name, scopes, expiresAt)))) {
            refresh();
            new SecretDialog(created[0]).open();
            return true;
        }
        return false;
    }

    private void columns() {
        grid.setId("keys");
        grid.addColumn(ApiKey::name).setHeader("Name").setAutoWidth(true);
        grid.addColumn(k -> k.id().toString().substring(0, 8)).setHeader("Id").setAutoWidth(true)
                .setTooltipGenerator(k -> k.id().toString());
        grid.addColumn(k -> wireNames(k.scopes())).setHeader("Scopes").setAutoWidth(true);
        grid.addColumn(ApiKeysView::state).setHeader("State").setAutoWidth(true);
        grid.addColumn(k -> Format.instant(k.createdAt())).setHeader("Created").setAutoWidth(true);
        grid.addColumn(k -> k.expiresAt() == null ? "never" : Format.instant(k.expiresAt())).setHeader("Expires").setAutoWidth(true);
        grid.addColumn(k -> k.lastUsedAt() == null ? "never" : Format.instant(k.lastUsedAt())).setHeader("Last used").setAutoWidth(true);
        grid.addComponentColumn(this::revokeButton).setHeader("").setAutoWidth(true).setFrozenToEnd(true);
    }

    private Button revokeButton(ApiKey key) {
        Button revoke = new Button("Revoke", e -> {
            if (Feedback.attempt(() -> actions.perform("key.revoke", "key " + key.id() + " of tenant " + tenant.slug(),
                    "name " + key.name(), () -> {
                        keys.revoke(tenant.id(), key.id());
                        return key.id();
                    }))) {
                Feedback.done("Key " + key.name() + " is revoked: it is refused from its next request on.");
                refresh();
            }
        });
        revoke.setId("revoke-" + key.id());
        revoke.addThemeVariants(ButtonVariant.SMALL, ButtonVariant.ERROR);
        revoke.setEnabled(key.revokedAt() == null);
        return revoke;
    }

    private void refresh() {
        grid.setItems(keys.list(tenant.id()));
    }

    private static String state(ApiKey key) {
        if (key.revokedAt() != null) {
            return "revoked " + Format.instant(key.revokedAt());
        }
        return key.expiresAt() != null && !key.expiresAt().isAfter(Instant.now()) ? "expired" : "active";
    }

    static String wireNames(Set<Scope> scopes) {
        return scopes.stream().sorted().map(Scope::wireName).collect(Collectors.joining(", "));
    }
}
