package io.montage.worker.inference;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

/** One inference item as the api stores it: a text, an image as base64 bytes, or an image to download. */
@Serdeable(naming = SnakeCaseStrategy.class)
record ItemInput(@Nullable String text, @Nullable String image, @Nullable String imageUrl) {

    /** How many of the three are given: a valid item has exactly one. */
    int sources() {
        return (text != null ? 1 : 0) + (image != null ? 1 : 0) + (imageUrl != null ? 1 : 0);
    }
}
