package io.montage.datasets;

/** An entry an import skipped: where it was in the source and what to fix. */
public record Rejection(String origin, String reason) {
}
