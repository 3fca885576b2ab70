package io.montage.attack;

import io.montage.apikeys.ApiKeyFormat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The API keys the suites use, issued by attack-test.sh with the admin command: tenant A's key with every scope and
 * one key per single scope, a revoked and an expired key of A, a key of a suspended tenant, tenant B's key (every
 * scope) for the cross-tenant suite, and a key of a separate tenant for the costly requests (so its quota use
 * never starves the other probes). Beside them, the id of tenant B's evaluation run (only an admin command starts
 * one, so the script makes it and names it here).
 */
public record Keys(String all, Map<String, String> single, String revoked, String expired, String suspended,
                   String tenantB, String cost, String tenantBEvaluation) {

    /** The scopes, as keys of {@link #single()}. */
    public static final List<String> SCOPES = List.of("jobs:read", "jobs:write", "inference", "collections:read",
            "collections:write", "evaluations:read");

    /**
     * Reads {@code key.all}, {@code key.jobs-read}… (a scope's ':' written '-') and {@code evaluation.tenant-b} from
     * a properties file.
     */
    public static Keys load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        }
        Map<String, String> single = new java.util.LinkedHashMap<>();
        for (String scope : SCOPES) {
            single.put(scope, required(p, "key." + scope.replace(':', '-')));
        }
        return new Keys(required(p, "key.all"), Map.copyOf(single), required(p, "key.revoked"),
                required(p, "key.expired"), required(p, "key.suspended"), required(p, "key.tenant-b"),
                required(p, "key.cost"), required(p, "evaluation.tenant-b"));
    }

    /** A key of the right shape and checksum that was never issued. */
    public static String neverIssued() {
        return ApiKeyFormat.generate();
    }

    /** A key of the same tenant that can read jobs: tenant A's single-scope keys read through its all-scope key. */
    public String readerFor(String key) {
        return single.containsValue(key) ? all : key;
    }

    /** Every key, so that no reply may echo one. */
    public List<String> secrets() {
        List<String> all = new java.util.ArrayList<>(List.of(this.all, revoked, expired, suspended, tenantB, cost));
        all.addAll(single.values());
        return all;
    }

    private static String required(Properties p, String name) {
        String value = p.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the keys file has no " + name);
        }
        return value.trim();
    }
}
