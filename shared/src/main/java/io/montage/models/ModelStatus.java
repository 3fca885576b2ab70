package io.montage.models;

import java.util.Locale;

/** validating → ready | failed; ready → retired. Only ready models serve requests. */
public enum ModelStatus {
    VALIDATING, READY, FAILED, RETIRED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ModelStatus fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
