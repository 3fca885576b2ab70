package io.montage.worker.inference;

/** The little vector arithmetic inference needs. */
final class Vectors {

    private Vectors() {
    }

    /** Scales {@code v} to unit length in place (a zero vector stays zero). */
    static void normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        if (sum > 0) {
            float inverse = (float) (1.0 / Math.sqrt(sum));
            for (int i = 0; i < v.length; i++) {
                v[i] *= inverse;
            }
        }
    }

    static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
