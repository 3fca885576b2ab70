package io.montage.console.live;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Text;
import com.vaadin.flow.component.html.NativeTable;
import com.vaadin.flow.component.html.NativeTableRow;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A plain HTML table that the server rewrites on each refresh. Unlike a Grid it asks the browser for nothing, so a
 * dashboard left open sends no requests of its own and its session still times out when no one uses it.
 */
public class LiveTable<T> extends NativeTable {

    private record Column<T>(String header, Function<T, Component> cell) {
    }

    private final List<Column<T>> columns = new ArrayList<>();
    private final String empty;

    public LiveTable(String id, String empty) {
        this.empty = empty;
        setId(id);
        getStyle().set("width", "100%").set("border-collapse", "collapse").set("font-size", "var(--lumo-font-size-s)");
    }

    public LiveTable<T> text(String header, Function<T, Object> value) {
        return component(header, row -> new Text(String.valueOf(value.apply(row))));
    }

    public LiveTable<T> component(String header, Function<T, Component> cell) {
        columns.add(new Column<>(header, cell));
        NativeTableRow head = getHead().getRows().isEmpty() ? getHead().addRow() : getHead().getRows().getFirst();
        head.addHeaderCell().setText(header);
        head.getHeaderCells().getLast().getStyle().set("text-align", "left").set("padding", "var(--lumo-space-xs)");
        return this;
    }

    public void show(List<T> rows) {
        getBody().removeAllRows();
        if (rows.isEmpty()) {
            var cell = getBody().addRow().addDataCell();
            cell.setText(empty);
            cell.getElement().setAttribute("colspan", String.valueOf(columns.size()));
            cell.getStyle().set("color", "var(--lumo-secondary-text-color)").set("padding", "var(--lumo-space-xs)");
            return;
        }
        for (T row : rows) {
            NativeTableRow tr = getBody().addRow();
            tr.getStyle().set("border-top", "1px solid var(--lumo-contrast-10pct)");
            for (Column<T> column : columns) {
                var cell = tr.addDataCell();
                cell.add(column.cell().apply(row));
                cell.getStyle().set("padding", "var(--lumo-space-xs)");
            }
        }
    }
}
