package io.montage.attack.inputs;

import java.util.Locale;
import java.util.StringJoiner;
import java.util.function.IntFunction;

/** JSON text built by hand, for shapes no serializer writes: deep nesting, huge arrays, exact escapes. */
public final class Bodies {

    /** The JSON escape of NUL (backslash, u, 0000), to put inside a JSON string literal. */
    public static final String NUL = "\\u0000";

    private Bodies() {
    }

    /** {@code depth} nested arrays around {@code inner}: [[[…inner…]]]. */
    public static String nestedArrays(int depth, String inner) {
        return "[".repeat(depth) + inner + "]".repeat(depth);
    }

    /** {@code depth} nested objects around {@code inner}: {"a":{"a":…inner…}}. */
    public static String nestedObjects(int depth, String inner) {
        return "{\"a\":".repeat(depth) + inner + "}".repeat(depth);
    }

    /** A JSON array of {@code n} elements, element i written by {@code element}. */
    public static String array(int n, IntFunction<String> element) {
        StringJoiner out = new StringJoiner(",", "[", "]");
        for (int i = 0; i < n; i++) {
            out.add(element.apply(i));
        }
        return out.toString();
    }

    /** A vector of {@code n} copies of {@code value} (written as given: "1e-8", "\"NaN\""). */
    public static String vector(int n, String value) {
        return array(n, i -> value);
    }

    /** A unit-ish vector of dimension {@code n} pointing along axis {@code axis}, with a little of every other axis. */
    public static String direction(int n, int axis) {
        return array(n, i -> i == axis % n ? "0.9" : String.format(Locale.ROOT, "%.4f", 0.01 + (i % 7) * 0.001));
    }

    /** {@code n} distinct strings, prefix0, prefix1…, as a JSON array. */
    public static String strings(int n, String prefix) {
        return array(n, i -> "\"" + prefix + i + "\"");
    }
}
