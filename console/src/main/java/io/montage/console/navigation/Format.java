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

    /** {@code 4 GiB}, {@code 1.5 MiB}, {@code 300 bytes}: binary units, to one decimal. */
    public static String bytes(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, value == Math.floor(value) ? "%.0f %s" : "%.1f %s", value, units[unit]);
    }
}
