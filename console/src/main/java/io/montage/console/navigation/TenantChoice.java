package io.montage.console.navigation;

import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.router.BeforeEnterEvent;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;

import java.util.List;

/** The tenant a per-tenant view opens on: {@code ?tenant=<slug>} (a link can name it), else the first tenant. */
public final class TenantChoice {

    private TenantChoice() {
    }

    /** A combo box of every tenant, labelled by slug. */
    public static ComboBox<Tenant> box(String id) {
        ComboBox<Tenant> box = new ComboBox<>("Tenant");
        box.setId(id);
        box.setItemLabelGenerator(Tenant::slug);
        return box;
    }

    /** Fills {@code box} with every tenant and selects the one the address names, else the first. */
    public static void fill(ComboBox<Tenant> box, TenantService tenants, BeforeEnterEvent event) {
        List<Tenant> all = tenants.list();
        box.setItems(all);
        String slug = event.getLocation().getQueryParameters().getSingleParameter("tenant").orElse(null);
        all.stream().filter(t -> t.slug().equals(slug)).findFirst()
                .or(() -> all.stream().findFirst()).ifPresent(box::setValue);
    }
}
