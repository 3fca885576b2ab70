package io.montage.cli;

import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Help.TextTable;

import java.util.ArrayList;
import java.util.List;

/**
 * A table for the terminal, drawn by picocli's {@link TextTable}: each column as wide as its widest value (so ids
 * and paths never wrap), the last one capped at {@value #LAST_COLUMN_MAX} characters and wrapped beyond.
 */
public final class Table {

    static final int LAST_COLUMN_MAX = 60;
    private static final int GAP = 2;

    private final List<String[]> rows = new ArrayList<>();

    public Table(String... header) {
        rows.add(header);
    }

    public Table row(String... values) {
        rows.add(values);
        return this;
    }

    public String render(ColorScheme scheme) {
        int columns = rows.getFirst().length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length() + GAP);
            }
        }
        widths[columns - 1] = Math.min(widths[columns - 1], LAST_COLUMN_MAX);
        TextTable table = TextTable.forColumnWidths(scheme, widths);
        rows.forEach(row -> table.addRowValues(row));
        return table.toString();
    }
}
