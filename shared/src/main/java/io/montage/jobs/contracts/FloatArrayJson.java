package io.montage.jobs.contracts;

/** A float array as JSON, written directly: a 512-float embedding per item is the hot path of bulk jobs. */
final class FloatArrayJson {

    private FloatArrayJson() {
    }

    static StringBuilder append(StringBuilder out, float[] values) {
        out.append('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(values[i]); // Float.toString: the shortest text that reads back as the same float
        }
        return out.append(']');
    }

    static StringBuilder builder(float[] values) {
        return new StringBuilder(values.length * 12 + 32);
    }
}
