package io.montage.workers;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A worker process as registered in the workers table; {@code device} is what it runs models on, as DJL names it
 * (null for a process that reported none). {@code status} is running, draining, stopped, or lost: its heartbeat went
 * silent for longer than montage.worker.lost-after (killed, or cut off from the database), noticed at {@code lostAt}.
 */
@Serdeable
@MappedEntity("workers")
public record WorkerNode(@Id UUID id, String host, long pid, @Nullable String device,
                         @TypeDef(type = DataType.STRING_ARRAY) List<String> capabilities, String status,
                         Instant startedAt, Instant heartbeatAt, @Nullable Instant stoppedAt,
                         @Nullable Instant lostAt) {

    private static final String MODEL_PREFIX = "model:";

    /** The capability a worker lists for each model it has loaded: what the api and the console look for. */
    public static String modelCapability(UUID modelId) {
        return MODEL_PREFIX + modelId;
    }

    /** Whether {@code capability} names a loaded model rather than a task type. */
    public static boolean isModelCapability(String capability) {
        return capability.startsWith(MODEL_PREFIX);
    }

    public boolean serves(UUID modelId) {
        return capabilities.contains(modelCapability(modelId));
    }
}
