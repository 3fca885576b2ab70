package io.montage.attack.report;

import java.util.List;

/**
 * The verdict on one request: its class and description, what was sent (method and target), the status that came
 * back (0: none), an excerpt of the body, and every failure (empty: passed).
 */
public record Outcome(String category, String description, String sent, int status, String excerpt,
                      List<String> failures) {

    public Outcome {
        failures = List.copyOf(failures);
    }

    public boolean passed() {
        return failures.isEmpty();
    }
}
