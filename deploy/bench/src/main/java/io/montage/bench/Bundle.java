package io.montage.bench;

import io.micronaut.json.JsonMapper;
import io.montage.models.ModelManifest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model bundle on disk and its manifest, read with the same serde mapping the platform uses. The bundle's file
 * hashes are not checked here (the platform checks them at registration; hashing 600 MB would only slow the bench).
 */
public record Bundle(Path dir, ModelManifest manifest) {

    public static Bundle read(Path dir) throws IOException {
        Path file = dir.resolve(ModelManifest.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new IOException(dir + " is not a model bundle: it has no " + ModelManifest.FILE_NAME);
        }
        return new Bundle(dir, JsonMapper.createDefault().readValue(Files.readAllBytes(file), ModelManifest.class));
    }

    public String reference() {
        return manifest.name() + "@" + manifest.version();
    }

    /** channels × crop × crop, e.g. {@code 3×224×224}. */
    public String inputShape() {
        ModelManifest.Image image = manifest.image();
        return image.channels() + "×" + image.cropSize() + "×" + image.cropSize();
    }
}
