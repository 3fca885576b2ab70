package io.montage.worker.inference;

/** Result JSON for float vectors, written directly: a 512-float embedding per item is the hot path of bulk jobs. */
final class ResultJson {

    private ResultJson() {
    }

    static String floats(float[] values) {
        StringBuilder out = new StringBuilder(values.length * 12).append('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(values[i]); // Float.toString: the shortest text that reads back as the same float
        }
        return out.append(']').toString();
    }
}
