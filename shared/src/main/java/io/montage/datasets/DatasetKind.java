package io.montage.datasets;

import io.montage.errors.MontageException;

import java.util.Locale;

/** What a dataset measures: classification needs a label per entry, retrieval one caption or more. */
public enum DatasetKind {
    CLASSIFICATION, RETRIEVAL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DatasetKind fromWire(String name) {
        for (DatasetKind kind : values()) {
            if (kind.wireName().equals(name)) {
                return kind;
            }
        }
        throw MontageException.invalid("invalid_dataset_kind",
                "a dataset's kind is classification or retrieval, not '" + name + "'");
    }
}
