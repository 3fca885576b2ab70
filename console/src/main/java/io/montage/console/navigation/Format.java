package io.montage.console.navigation;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** How the console writes values: one way everywhere. */
public final class Format {

    private Format() {
    }

    /** {@code 2026-12-03 06:49:06 UTC}: to the second, in UTC like the database and the logs. */
    public static String instant(Instant instant) {
        return instant == null ? "" : instant.truncatedTo(ChronoUnit.SECONDS).toString().replace('T', ' ')
                .replace("Z", " UTC");
    }
}
