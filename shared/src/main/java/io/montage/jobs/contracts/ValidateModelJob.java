package io.montage.jobs.contracts;

import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.util.UUID;

/**
 * Job type "model.validate": platform work between registering a bundle and serving it. Its one item names the
 * model; a worker loads it and runs both towers, then marks it ready (the item's result) or failed.
 */
public final class ValidateModelJob {

    public static final String NAME = "model.validate";

    @Serdeable(naming = SnakeCaseStrategy.class)
    public record Input(UUID modelId) {
    }

    @Serdeable
    public record Result(String status) {

        public static final Result READY = new Result("ready");
    }

    public static final JobContract<NoParams, Input, Result> CONTRACT =
            new JobContract<>(NAME, NoParams.class, Input.class, Result.class);

    private ValidateModelJob() {
    }
}
