package io.montage.api.collections;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.UUID;

/** A collection on the wire; {@code switching_to} names the model being re-embedded into, if any. */
@Serdeable
public record CollectionView(UUID id, String object, String name, String model, int itemCount, String switchingTo,
                             Instant createdAt) {
}
