package io.montage.workers;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A worker process as registered in the workers table. */
@Serdeable
public record WorkerNode(UUID id, String host, long pid, List<String> capabilities, String status,
                         Instant startedAt, Instant heartbeatAt, Instant stoppedAt) {
}
