package io.montage.console.audit;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.micronaut.context.annotation.Prototype;
import io.montage.audit.AuditEntry;
import io.montage.audit.AuditFilter;
import io.montage.audit.AuditLog;
import io.montage.console.navigation.Format;
import io.montage.console.navigation.MainLayout;

/** The audit log, newest first, filtered by who, what, how it ended and any text of its target or detail. */
@Prototype
@Route(value = "audit", layout = MainLayout.class)
@PageTitle("Audit log · Montage console")
public class AuditView extends VerticalLayout {

    private static final String ANY = "any";

    private final AuditLog log;
    private final TextField actor = filterField("Who", "audit-actor");
    private final TextField action = filterField("Action", "audit-action");
    private final TextField text = filterField("Target or detail contains", "audit-text");
    private final Select<String> outcome = new Select<>();
    private final Grid<AuditEntry> grid = new Grid<>();

    public AuditView(AuditLog log) {
        this.log = log;
        setSizeFull();
        outcome.setLabel("Outcome");
        outcome.setId("audit-outcome");
        outcome.setItems(ANY, AuditEntry.OK, AuditEntry.FAILED, AuditEntry.DENIED);
        outcome.setValue(ANY);
        outcome.addValueChangeListener(e -> refresh());
        HorizontalLayout filters = new HorizontalLayout(actor, action, outcome, text);
        filters.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        grid.setId("audit");
        grid.addColumn(e -> Format.instant(e.at()))
                .setHeader("When").setAutoWidth(true);
        grid.addColumn(AuditEntry::actor).setHeader("Who").setAutoWidth(true);
        grid.addColumn(AuditEntry::action).setHeader("Action").setAutoWidth(true);
        grid.addColumn(AuditEntry::target).setHeader("Target").setAutoWidth(true);
        grid.addColumn(AuditEntry::outcome).setHeader("Outcome").setAutoWidth(true);
        grid.addColumn(AuditEntry::detail).setHeader("Detail").setFlexGrow(1);
        add(new H2("Audit log"), filters, grid);
        refresh();
    }

    private TextField filterField(String label, String id) {
        TextField field = new TextField(label);
        field.setId(id);
        field.setClearButtonVisible(true);
        field.setValueChangeMode(ValueChangeMode.LAZY);
        field.addValueChangeListener(e -> refresh());
        return field;
    }

    private void refresh() {
        grid.setItems(log.search(new AuditFilter(actor.getValue(), action.getValue(),
                ANY.equals(outcome.getValue()) ? null : outcome.getValue(), text.getValue())));
    }
}
