package io.montage.attack.probe;

import io.montage.attack.http.Request;

/** One hostile request: its class (for the summary), what it tries, the request, and what must come back. */
public record Probe(String category, String description, Request request, Expect expect) {
}
