package io.montage.models;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;

import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

/** A registered model bundle, as the models table holds it. */
@MappedEntity("models")
public record Model(@Id UUID id, String name, String version, @TypeDef(type = DataType.JSON) ModelManifest manifest,
                    ModelStatus status, @Nullable String failureReason, String source, Path bundlePath,
                    Instant createdAt, @Nullable Instant readyAt) {

    /** How tenants name it: {@code name@version}. */
    public String reference() {
        return name + "@" + version;
    }
}
