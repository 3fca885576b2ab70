package io.montage.jobs.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.util.UUID;

/**
 * Job type "reembed": part of a collection's model switch (started by the platform, never submitted by tenants).
 * Each item names a stored collection item to embed again, from its stored source, with the job's (new) model.
 */
public final class ReembedJob {

    public static final String NAME = "reembed";

    @Serdeable(naming = SnakeCaseStrategy.class)
    public record Params(UUID collectionId) {
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    public record Input(String itemId) {
    }

    /** {@code {"reembedded":true}}, or {@code {"deleted":true}} for an item deleted since the switch began. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(@Nullable Boolean deleted, @Nullable Boolean reembedded) {

        public static final Result DELETED = new Result(true, null);
        public static final Result REEMBEDDED = new Result(null, true);
    }

    public static final JobContract<Params, Input, Result> CONTRACT =
            new JobContract<>(NAME, Params.class, Input.class, Result.class);

    private ReembedJob() {
    }
}
