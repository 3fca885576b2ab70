package io.montage.apikeys;

import java.util.Arrays;
import java.util.Optional;

/** What a key may do. The wire name is what appears in key listings and in insufficient_scope errors. */
public enum Scope {
    JOBS_READ("jobs:read"),
    JOBS_WRITE("jobs:write"),
    INFERENCE("inference"),
    COLLECTIONS_READ("collections:read"),
    COLLECTIONS_WRITE("collections:write"),
    EVALUATIONS_READ("evaluations:read");

    private final String wireName;

    Scope(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Scope> fromWireName(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
    }
}
