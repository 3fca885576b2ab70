package io.montage.worker.images;

import io.montage.testing.SharedContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ImageLimitsTest {

    @Test
    void theWorkerAcceptsUpTo20MebibytesAnd40Megapixels() {
        ImageLimits limits = SharedContext.bean(ImageLimits.class);

        assertEquals(20 * 1024 * 1024, limits.maxBytes());
        assertEquals(40_000_000, limits.maxPixels());
    }

    @Test
    void limitsArePositive() {
        assertThrows(IllegalArgumentException.class, () -> new ImageLimits(0, 40_000_000));
        assertThrows(IllegalArgumentException.class, () -> new ImageLimits(20 << 20, 0));
    }
}
