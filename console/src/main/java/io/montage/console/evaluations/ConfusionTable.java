package io.montage.console.evaluations;

import com.vaadin.flow.component.HtmlContainer;
import com.vaadin.flow.component.html.NativeTable;
import com.vaadin.flow.component.html.NativeTableCell;
import com.vaadin.flow.component.html.NativeTableRow;

import java.util.List;

/**
 * The confusion matrix as a table next to its heat map: rows the true class, columns the predicted one, the exact
 * counts (the picture's colours are a share of the row); the diagonal, the correct ones, in bold. Each count cell
 * has the id {@code cm-<model position>-<true ordinal>-<predicted ordinal>}.
 */
final class ConfusionTable {

    private ConfusionTable() {
    }

    static NativeTable of(int position, List<String> classes, List<List<Number>> rows) {
        NativeTable table = new NativeTable();
        table.setId("confusion-matrix-" + position);
        table.getStyle().set("border-collapse", "collapse").set("font-size", "var(--lumo-font-size-xs)");
        NativeTableRow head = table.getHead().addRow();
        head.addHeaderCell().setText("true \\ predicted");
        classes.forEach(label -> style(head.addHeaderCell(), label));
        for (int t = 0; t < classes.size(); t++) {
            NativeTableRow row = table.getBody().addRow();
            style(row.addHeaderCell(), classes.get(t));
            for (int p = 0; p < classes.size(); p++) {
                NativeTableCell cell = row.addDataCell();
                style(cell, String.valueOf(rows.get(t).get(p).longValue()));
                cell.setId("cm-" + position + "-" + t + "-" + p);
                cell.getStyle().set("text-align", "right");
                if (t == p) {
                    cell.getStyle().set("font-weight", "700");
                }
            }
        }
        return table;
    }

    private static void style(HtmlContainer cell, String text) {
        cell.setText(text);
        cell.getStyle().set("padding", "2px 6px").set("border", "1px solid var(--lumo-contrast-10pct)");
    }
}
