package io.montage.api.admin;

import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.Column.Overflow;
import picocli.CommandLine.Help.TextTable;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** A listing's rows printed as aligned columns under a header (picocli's text table, each column as wide as needed). */
final class Table {

    private static final int GAP = 2;

    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
        this.header = header;
    }

    Table row(String... values) {
        if (values.length != header.length) {
            throw new IllegalArgumentException(values.length + " values for " + header.length + " columns");
        }
        rows.add(values);
        return this;
    }

    /** A time as the listings show it: UTC to the second ({@code 2026-12-07T15:02:00Z}), or {@code absent}. */
    static String time(Instant at, String absent) {
        return at == null ? absent : at.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    void print(PrintWriter out) {
        Column[] columns = new Column[header.length];
        for (int c = 0; c < header.length; c++) {
            int width = header[c].length();
            for (String[] row : rows) {
                width = Math.max(width, row[c].length());
            }
            columns[c] = new Column(width + (c == header.length - 1 ? 0 : GAP), 0, Overflow.SPAN);
        }
        TextTable table = TextTable.forColumns(Ansi.OFF, columns);
        table.addRowValues(header);
        rows.forEach(table::addRowValues);
        out.print(table);
        out.flush();
    }
}
