package io.montage.attack.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Collects outcomes from any thread and prints one summary line per suite and every failure in full. */
public final class Report {

    private final String suite;
    private final List<Outcome> outcomes = new ArrayList<>();

    public Report(String suite) {
        this.suite = suite;
    }

    public synchronized void add(Outcome outcome) {
        outcomes.add(outcome);
    }

    public synchronized List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    public synchronized List<Outcome> failures() {
        return outcomes.stream().filter(o -> !o.passed()).toList();
    }

    /**
     * {@code attack: 412 requests (auth 120, body 24, …), 3 failures (body 2, zip 1)} and then one line per
     * failure (or, asked, every request): class, description, what was sent, status, what failed, body excerpt.
     */
    public synchronized void print(PrintStream out, String extra, boolean everyRequest) {
        Map<String, Long> sent = outcomes.stream().collect(Collectors.groupingBy(Outcome::category, TreeMap::new,
                Collectors.counting()));
        Map<String, Long> failed = failures().stream().collect(Collectors.groupingBy(Outcome::category, TreeMap::new,
                Collectors.counting()));
        out.println(suite + ": " + outcomes.size() + " requests (" + counts(sent) + "), " + failures().size()
                + " failures" + (failed.isEmpty() ? "" : " (" + counts(failed) + ")") + (extra.isEmpty() ? "" : "; " + extra));
        for (Outcome o : everyRequest ? outcomes : failures()) {
            out.println("  " + (o.passed() ? "pass" : "FAIL") + " [" + o.category() + "] " + o.description() + " | " + o.sent()
                    + " -> " + (o.status() == 0 ? "no response" : o.status())
                    + (o.passed() ? "" : " | " + String.join("; ", o.failures()))
                    + (o.excerpt().isEmpty() ? "" : " | body: " + o.excerpt()));
        }
    }

    private static String counts(Map<String, Long> byCategory) {
        return byCategory.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }
}
