package io.montage.jobs.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

/**
 * What an inference item is made from: a text, an image as base64 bytes, or an image to download; exactly one.
 * Written {@code {"text": …}}, {@code {"image": …}} or {@code {"image_url": …}}.
 */
@Serdeable(naming = SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ItemSource(@Nullable String text, @Nullable String image, @Nullable String imageUrl) {

    public static ItemSource text(String text) {
        return new ItemSource(text, null, null);
    }

    /** {@code base64}: the image's bytes in standard base64, without a data: prefix. */
    public static ItemSource image(String base64) {
        return new ItemSource(null, base64, null);
    }

    public static ItemSource imageUrl(String url) {
        return new ItemSource(null, null, url);
    }

    /** How many of the three are given: a valid source has exactly one. */
    public int given() {
        return (text != null ? 1 : 0) + (image != null ? 1 : 0) + (imageUrl != null ? 1 : 0);
    }
}
