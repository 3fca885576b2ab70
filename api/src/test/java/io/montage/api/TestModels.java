package io.montage.api;

import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.testing.FakeBundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.UUID;

/** Models for api tests: registered and ready, 8-dimensional, one zero-shot template; no worker serves them. */
public final class TestModels {

    private TestModels() {
    }

    /** A new ready model named {@code prefix-<random>}. */
    public static Model ready(String prefix) {
        ModelRegistry registry = ApiServer.bean(ModelRegistry.class);
        try {
            Model model = registry.register(FakeBundle.write(Files.createTempDirectory("bundle"),
                    prefix + "-" + UUID.randomUUID().toString().substring(0, 6), "1", "w").toString());
            registry.markReady(model.id());
            return model;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
