package io.montage.console.live;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Text;
import com.vaadin.flow.component.html.NativeTable;
import com.vaadin.flow.component.html.NativeTableRow;
import com.vaadin.flow.dom.Element;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A plain HTML table that the server rewrites on each refresh, the rows that changed. Unlike a Grid it asks the
 * browser for nothing, so a dashboard left open sends no requests of its own and its session still times out when
 * no one uses it.
 */
public class LiveTable<T> extends NativeTable {

    private record Column<T>(String header, Function<T, Component> cell) {
    }

    private final List<Column<T>> columns = new ArrayList<>();
    private final String empty;
    /** How each row on screen rendered (nothing while the "nothing here" line is shown). */
    private final List<String> shown = new ArrayList<>();

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

    /**
     * Shows {@code rows}. A row that would render exactly as the one shown in its place stays as it is: rebuilding
     * it would detach its buttons, and a click on its way to one of them would then be dropped.
     */
    public void show(List<T> rows) {
        if (rows.isEmpty()) {
            showEmpty();
            return;
        }
        if (shown.isEmpty()) {
            getBody().removeAllRows(); // the "nothing here" line
        }
        for (int i = 0; i < rows.size(); i++) {
            T row = rows.get(i);
            List<Component> cells = columns.stream().map(column -> column.cell().apply(row)).toList();
            String rendering = cells.stream().map(cell -> rendering(cell.getElement())).collect(Collectors.joining());
            if (i == shown.size()) {
                getBody().addRows(row(cells));
                shown.add(rendering);
            } else if (!rendering.equals(shown.get(i))) {
                getBody().replaceRow(i, row(cells));
                shown.set(i, rendering);
            }
        }
        while (shown.size() > rows.size()) {
            getBody().removeRow(shown.size() - 1);
            shown.removeLast();
        }
    }

    private void showEmpty() {
        shown.clear();
        getBody().removeAllRows();
        var cell = getBody().addRow().addDataCell();
        cell.setText(empty);
        cell.getElement().setAttribute("colspan", String.valueOf(columns.size()));
        cell.getStyle().set("color", "var(--lumo-secondary-text-color)").set("padding", "var(--lumo-space-xs)");
    }

    private static NativeTableRow row(List<Component> cells) {
        NativeTableRow tr = new NativeTableRow();
        tr.getStyle().set("border-top", "1px solid var(--lumo-contrast-10pct)");
        for (Component content : cells) {
            var cell = tr.addDataCell();
            cell.add(content);
            cell.getStyle().set("padding", "var(--lumo-space-xs)");
        }
        return tr;
    }

    /** What the browser gets of an element: its HTML, and the properties that leaves out (a progress bar's value). */
    private static String rendering(Element element) {
        return element.getOuterHTML() + properties(element);
    }

    private static String properties(Element element) {
        if (element.isTextNode()) {
            return "";
        }
        return element.getPropertyNames().sorted().map(name -> name + "=" + element.getPropertyRaw(name))
                .collect(Collectors.joining(",", "{", "}")) + element.getChildren().map(LiveTable::properties)
                .collect(Collectors.joining());
    }
}
