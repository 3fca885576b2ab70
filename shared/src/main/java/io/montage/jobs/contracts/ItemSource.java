package io.montage.jobs.contracts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Creator;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

/**
 * What an inference item is made from: a text, an image's bytes, or an image to download; exactly one. Written
 * {@code {"text": …}}, {@code {"image_bytes": n}} (the bytes travel beside the JSON, see {@link CarriesImage}) or
 * {@code {"image_url": …}}.
 *
 * @param imageBytes how many bytes the image has: the JSON's reference to the bytes stored beside it (derived from
 *                   {@code image} when written; the reader checks that the bytes it gets back match)
 */
@Serdeable(naming = SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ItemSource(@Nullable String text, @JsonIgnore @Nullable byte[] image, @Nullable Integer imageBytes,
                         @Nullable String imageUrl) implements CarriesImage<ItemSource> {

    @Creator
    public ItemSource {
        if (image != null && imageBytes == null) { // written: the count follows the bytes
            imageBytes = image.length;
        }
    }

    public static ItemSource text(String text) {
        return new ItemSource(text, null, null, null);
    }

    /** {@code bytes}: the image file's bytes as sent (decoded once from base64 by the api, or a raw upload). */
    public static ItemSource image(byte[] bytes) {
        return new ItemSource(null, bytes, null, null);
    }

    public static ItemSource imageUrl(String url) {
        return new ItemSource(null, null, null, url);
    }

    @Override
    public ItemSource withImage(byte[] bytes) {
        return new ItemSource(text, bytes, imageBytes, imageUrl);
    }

    /**
     * How many of the three are given: a valid source has exactly one. An input whose JSON names image bytes that
     * did not come with it (or came with another length) counts its image as given twice, so it is never valid.
     */
    public int given() {
        int images = image != null && imageBytes != null && imageBytes == image.length ? 1
                : image == null && imageBytes == null ? 0 : 2;
        return (text != null ? 1 : 0) + images + (imageUrl != null ? 1 : 0);
    }
}
