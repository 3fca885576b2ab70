package io.montage.testing;

import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** What tenants read holds no Java class names, no SQL, no database messages. */
public final class NoInternals {

    private static final List<Pattern> INTERNALS = List.of(
            Pattern.compile("\\b[a-z][a-z0-9]*(\\.[a-z][a-z0-9]*)+\\.[A-Z]\\w*"), // a qualified class name
            Pattern.compile("\\b\\w+(Exception|Error)\\b"),
            Pattern.compile("\\b(SELECT|INSERT|UPDATE|DELETE|COPY|FROM|WHERE)\\b"),
            Pattern.compile("(?i)\\b(sqlstate|psql|postgres\\w*|jdbc|hikari|relation|syntax|utf8|jsonb|halfvec)\\b"),
            Pattern.compile("ERROR:|0x00|\\bat [a-z]+\\."));

    private NoInternals() {
    }

    public static void assertNone(String tenantFacing) {
        for (Pattern internal : INTERNALS) {
            assertFalse(internal.matcher(tenantFacing).find(), "internals (" + internal + ") in: " + tenantFacing);
        }
    }
}
