package io.montage.attack.probe;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What must never reach a client: Java class and package names, stack traces, SQL and database messages, parser
 * feature names and framework configuration hints, file-system paths. A marker that the request itself carried is
 * not counted (a detail may quote the caller's own input).
 */
final class Internals {

    /** Matched as written. */
    private static final List<String> EXACT = List.of(
            // Java, framework and library packages, stack traces
            "java.", "javax.", "jakarta.", "io.micronaut", "io.montage", "io.netty", "org.postgresql", "org.apache",
            "org.slf4j", "org.flywaydb", "org.reactivestreams", "com.fasterxml", "com.zaxxer", "ai.djl", "reactor.",
            "Exception", "Caused by", "\tat ", ".java:", "c10::",
            // SQL and PostgreSQL messages
            "SQLState", "SQLSTATE", "SQL state", "ERROR: ", "SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM", " WHERE ",
            "RETURNING ", "ON CONFLICT",
            // the JSON parser's and the framework's own wording
            "StreamReadConstraints", "maxNestingDepth", "getMax", "JsonParser", "JsonToken", "Feature.", "ALLOW_",
            "FAIL_ON_", "[Source:", "REDACTED", "(code ", "for type [", "Error decoding property", "Failed to convert argument",
            "Required argument [", "Required Body [", "For input string", "Invalid UUID string",
            // file-system paths
            "/root/", "/tmp/", "/work/", ".jar!");

    /** Matched ignoring case. */
    private static final List<String> ANY_CASE = List.of(
            "exception", "micronaut", "netty", "jackson", "hikari", "flyway", "postgres", "psql", "pgvector", "jsonb",
            "jsonpath", "halfvec", "syntax error at", "violates check", "violates unique", "violates foreign",
            "violates not-null", "violates row-level", "duplicate key value", "relation \"", "column \"", "stack depth",
            "stacktrace", "libtorch", "nullpointer", "classcast");

    private Internals() {
    }

    /** The first internal marker in {@code reply} that {@code request} did not carry itself. */
    static Optional<String> find(String reply, String request) {
        for (String marker : EXACT) {
            if (reply.contains(marker) && !request.contains(marker)) {
                return Optional.of(marker);
            }
        }
        String replyLower = reply.toLowerCase(Locale.ROOT);
        String requestLower = request.toLowerCase(Locale.ROOT);
        for (String marker : ANY_CASE) {
            if (replyLower.contains(marker) && !requestLower.contains(marker)) {
                return Optional.of(marker);
            }
        }
        return Optional.empty();
    }
}
