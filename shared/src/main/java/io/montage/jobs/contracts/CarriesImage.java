package io.montage.jobs.contracts;

import io.micronaut.core.annotation.Nullable;

/**
 * An item input that may hold an image's bytes. The bytes never go into the input's JSON: the queue stores them
 * beside it, in {@code items.input_bytes} (bytea), and {@link JobCodec} takes them out of the record when an item is
 * written and puts them back when it is read. The JSON only says that they are there ({@code "image_bytes": n}).
 * Base64 in JSON cost 4/3 of the image in every row, a parse of a 27 MB string per row at the image limit, and a
 * decode in the api and again in the worker (ADR 0014).
 *
 * @param <T> the record itself
 */
public interface CarriesImage<T> {

    /** The image's bytes (an encoded PNG, JPEG, …), or null when the input is not an inline image. */
    @Nullable
    byte[] image();

    /** The same input with the bytes read back from the queue. */
    T withImage(byte[] image);
}
