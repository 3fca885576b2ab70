package io.montage.models;

import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

/** A registered model bundle. */
public record Model(UUID id, String name, String version, ModelManifest manifest, ModelStatus status,
                    String failureReason, String source, Path bundlePath, Instant createdAt, Instant readyAt) {

    /** How tenants name it: {@code name@version}. */
    public String reference() {
        return name + "@" + version;
    }
}
