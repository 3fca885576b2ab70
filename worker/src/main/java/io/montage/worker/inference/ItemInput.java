package io.montage.worker.inference;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** One inference item as the api stores it: a text, or an image as base64 bytes. */
@Serdeable
record ItemInput(@Nullable String text, @Nullable String image) {
}
