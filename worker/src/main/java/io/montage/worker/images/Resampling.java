package io.montage.worker.images;

import java.util.Locale;

/**
 * PIL's resampling filters that manifests may name. The convolution filters are libImaging/Resample.c's, written
 * with the same operations in the same order, so their doubles come out bit for bit the same. NEAREST is no
 * filter: PIL resizes with it by sampling (see {@link PilResize}).
 */
enum Resampling {

    BICUBIC(2.0) {
        /** Keys' cubic convolution with a = -0.5. */
        @Override
        double weight(double x) {
            if (x < 0.0) {
                x = -x;
            }
            if (x < 1.0) {
                return ((A + 2.0) * x - (A + 3.0)) * x * x + 1;
            }
            if (x < 2.0) {
                return (((x - 5) * x + 8) * x - 4) * A;
            }
            return 0.0;
        }
    },
    BILINEAR(1.0) {
        @Override
        double weight(double x) {
            if (x < 0.0) {
                x = -x;
            }
            return x < 1.0 ? 1.0 - x : 0.0;
        }
    },
    NEAREST(0.0) {
        @Override
        double weight(double x) {
            throw new UnsupportedOperationException("PIL resizes with NEAREST by sampling, not by convolution");
        }
    };

    private static final double A = -0.5;

    private final double support;

    Resampling(double support) {
        this.support = support;
    }

    /** The filter's reach, in input pixels, when upscaling; downscaling widens it by the scale factor. */
    double support() {
        return support;
    }

    abstract double weight(double x);

    /** The filter a manifest's {@code interpolation} names: bicubic, bilinear or nearest. */
    static Resampling named(String interpolation) {
        for (Resampling resampling : values()) {
            if (resampling.name().toLowerCase(Locale.ROOT).equals(interpolation)) {
                return resampling;
            }
        }
        throw new IllegalArgumentException("image.interpolation must be bicubic, bilinear or nearest, not "
                + interpolation);
    }
}
