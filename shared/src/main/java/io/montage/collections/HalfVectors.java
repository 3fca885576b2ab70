package io.montage.collections;

/**
 * Collections store vectors as pgvector {@code halfvec} (IEEE binary16): what a vector is after that rounding is
 * what every search compares. A vector can be non-zero in 32-bit floats and still round to all zeros (128 × 1e-8),
 * and a zero vector has no direction: its cosine with anything is NaN.
 */
public final class HalfVectors {

    /** The largest magnitude a half-precision value holds. */
    public static final float MAX = 65504f;
    /**
     * The shortest length a stored vector may have: the smallest normal half-precision value (2^-14). Shorter
     * vectors consist of subnormal halves with a few significant bits each, so their direction is mostly rounding.
     */
    public static final double MIN_LENGTH = 0x1p-14;

    private HalfVectors() {
    }

    /** Whether the vector, rounded to half precision as it is stored, is at least {@link #MIN_LENGTH} long. */
    public static boolean hasDirection(float[] vector) {
        double squares = 0;
        for (float value : vector) {
            double half = Float.float16ToFloat(Float.floatToFloat16(value));
            squares += half * half;
        }
        return Math.sqrt(squares) >= MIN_LENGTH;
    }
}
