package io.montage.console.evaluations;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A run's results as CSV, one number a line ({@code model,model_sha256,metric,class,predicted_class,value}): the
 * gate metrics, each class's counts and P/R/F1, every confusion-matrix cell, the retrieval median ranks and the
 * cost. Long rather than wide, so one file holds runs of either task and any number of classes. Labels come from
 * uploaded datasets: a text field that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is written
 * with a leading apostrophe (OWASP's CSV injection advice), and fields are quoted as RFC 4180 says.
 */
final class ResultsCsv {

    static final String HEADER = "model,model_sha256,metric,class,predicted_class,value";
    private static final List<String> COST = List.of("entries", "seconds", "items_per_second", "batch_entries",
            "batch_latency_ms_p50", "batch_latency_ms_p99", "peak_heap_bytes", "peak_rss_bytes", "model_bytes");

    private ResultsCsv() {
    }

    /** {@code classes} in ordinal order (the run's record), for the confusion matrix's rows and columns. */
    static String of(List<ModelOutcome> models, List<String> classes) {
        List<String> lines = new ArrayList<>();
        lines.add(HEADER);
        for (ModelOutcome m : models) {
            if (m.failure() != null) {
                lines.add(line(m, "failure", "", "", m.failure()));
            }
            if (!m.measured()) {
                continue;
            }
            m.gate().forEach((metric, value) -> lines.add(line(m, metric, "", "", value)));
            for (String direction : List.of("image_to_text", "text_to_image")) {
                Object median = m.direction(direction).get("median_rank");
                if (median != null) {
                    lines.add(line(m, direction + "_median_rank", "", "", median));
                }
            }
            if (m.perClass() != null) {
                for (Map<String, Object> c : m.perClass()) {
                    for (String metric : List.of("support", "predictions", "correct", "precision", "recall", "f1")) {
                        lines.add(line(m, metric, (String) c.get("label"), "", c.get(metric)));
                    }
                }
                List<List<Number>> confusion = m.confusion();
                for (int t = 0; t < confusion.size(); t++) {
                    for (int p = 0; p < confusion.get(t).size(); p++) {
                        lines.add(line(m, "confusion", classes.get(t), classes.get(p), confusion.get(t).get(p)));
                    }
                }
            }
            for (String metric : COST) {
                if (m.cost() != null && m.cost().containsKey(metric)) {
                    lines.add(line(m, metric, "", "", m.cost().get(metric)));
                }
            }
        }
        return String.join("\r\n", lines) + "\r\n";
    }

    private static String line(ModelOutcome m, String metric, String label, String predicted, Object value) {
        return String.join(",", text(m.modelRef()), text(m.modelSha256()), text(metric), text(label),
                text(predicted), value instanceof Number n ? number(n) : value == null ? "" : text(value.toString()));
    }

    /** Integers as they are; other numbers in plain decimal (no exponent), without trailing zeros. */
    static String number(Number n) {
        if (n instanceof Integer || n instanceof Long) {
            return n.toString();
        }
        double d = n.doubleValue();
        if (!Double.isFinite(d)) {
            return "";
        }
        String plain = BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        return plain.equals("-0") ? "0" : plain;
    }

    static String text(String field) {
        String safe = !field.isEmpty() && "=+-@\t\r".indexOf(field.charAt(0)) >= 0 ? "'" + field : field;
        boolean quote = safe.chars().anyMatch(ch -> ch == ',' || ch == '"' || ch == '\n' || ch == '\r');
        return quote ? '"' + safe.replace("\"", "\"\"") + '"' : safe;
    }
}
