package io.montage.worker.images;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.convert.format.ReadableBytes;

/**
 * What the worker agrees to decode (montage.images.*). The pixel limit is what bounds memory: a small file can
 * declare a huge image, and decoding allocates for every declared pixel.
 *
 * @param maxBytes  the largest encoded image accepted; sizes like {@code 20MB} are read as mebibytes
 * @param maxPixels the most pixels (width × height) an image may declare
 */
@ConfigurationProperties("montage.images")
public record ImageLimits(
        @Bindable(defaultValue = "20MB") @ReadableBytes int maxBytes,
        @Bindable(defaultValue = "40000000") long maxPixels) {

    public ImageLimits {
        if (maxBytes < 1 || maxPixels < 1) {
            throw new IllegalArgumentException("montage.images.max-bytes and max-pixels must be positive, not "
                    + maxBytes + " and " + maxPixels);
        }
    }
}
