package io.montage.console.navigation;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** How the console writes values: one way everywhere. */
public final class Format {

    private Format() {
    }

    /** {@code 2026-12-03 06:49:06 UTC}: to the second, in UTC like the database and the logs. */
    public static String instant(Instant instant) {
        return instant == null ? "" : instant.truncatedTo(ChronoUnit.SECONDS).toString().replace('T', ' ')
                .replace("Z", " UTC");
    }

    /** {@code 1,234,567}: counts with thousands separators, the same in every locale. */
    public static String count(long count) {
        return String.format(Locale.ROOT, "%,d", count);
    }

    /** {@code 1 h 2 m}, {@code 3 m 20 s}, {@code 45 s}; empty when unknown (null). */
    public static String seconds(Long seconds) {
        if (seconds == null) {
            return "";
        }
        if (seconds >= 3600) {
            return seconds / 3600 + " h " + seconds % 3600 / 60 + " m";
        }
        return seconds >= 60 ? seconds / 60 + " m " + seconds % 60 + " s" : seconds + " s";
    }
}
