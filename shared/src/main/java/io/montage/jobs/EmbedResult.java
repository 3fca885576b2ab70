package io.montage.jobs;

import io.micronaut.serde.annotation.Serdeable;

/**
 * An item's result of an {@code embed} task, as the worker writes it: the vector (L2-normalised when the model's
 * manifest says so) and the tokens its text used (0 for an image).
 */
@Serdeable
public record EmbedResult(float[] embedding, int tokens) {
}
