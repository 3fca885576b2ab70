package io.montage.testing;

/** Vector arithmetic tests compare embeddings with. */
public final class Vectors {

    private Vectors() {
    }

    /** The cosine of two vectors, in double precision (references are often unnormalised; answers are not). */
    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
