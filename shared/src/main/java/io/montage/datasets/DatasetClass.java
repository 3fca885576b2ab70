package io.montage.datasets;

/** A label of a version, its index in label order (what confusion matrices number) and its number of entries. */
public record DatasetClass(String label, int ordinal, int entryCount) {
}
