package io.montage.jobs.contracts;

import io.micronaut.serde.annotation.Serdeable;

/** The parameters of a job type that takes none: {@code {}}. */
@Serdeable
public record NoParams() {

    public static final NoParams NONE = new NoParams();
}
