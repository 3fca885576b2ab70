package io.montage.collections;

/** pgvector's text form, {@code [0.1,0.2,…]}, for binding and reading vectors without a driver extension. */
final class VectorText {

    private VectorText() {
    }

    static String of(float[] vector) {
        StringBuilder out = new StringBuilder(vector.length * 10).append('[');
        for (int i = 0; i < vector.length; i++) {
            out.append(i == 0 ? "" : ",").append(vector[i]);
        }
        return out.append(']').toString();
    }

    static float[] parse(String text) {
        String body = text.substring(1, text.length() - 1);
        if (body.isEmpty()) {
            return new float[0];
        }
        String[] parts = body.split(",");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Float.parseFloat(parts[i]);
        }
        return out;
    }
}
