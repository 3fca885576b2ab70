package io.montage.collections;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HalfVectorsTest {

    private static float[] filled(int dimension, float value) {
        float[] v = new float[dimension];
        Arrays.fill(v, value);
        return v;
    }

    @Test
    void aVectorThatRoundsToZeroAtHalfPrecisionHasNoDirection() {
        assertFalse(HalfVectors.hasDirection(filled(128, 1e-8f)), "non-zero as floats, all zeros as halves");
        assertFalse(HalfVectors.hasDirection(new float[512]));
        assertFalse(HalfVectors.hasDirection(filled(4, 2e-5f)), "subnormal halves, length under 2^-14");
    }

    @Test
    void shortButRepresentableVectorsKeepTheirDirection() {
        float[] axis = new float[512];
        axis[7] = 1e-4f;
        assertTrue(HalfVectors.hasDirection(axis));
        assertTrue(HalfVectors.hasDirection(filled(128, 1e-5f)), "length 1.1e-4");
        assertTrue(HalfVectors.hasDirection(filled(8, HalfVectors.MAX)));
        assertTrue(HalfVectors.hasDirection(filled(64, (float) (1 / Math.sqrt(64)))));
    }
}
