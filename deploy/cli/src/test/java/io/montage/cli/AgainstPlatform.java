package io.montage.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** A test of {@code montage} against the packaged platform, with a home of its own (no config file in it). */
abstract class AgainstPlatform {

    static PackagedPlatform platform;

    @TempDir
    Path home;

    @BeforeAll
    static void start() throws Exception {
        platform = PackagedPlatform.get();
    }

    /** {@code montage ARGS} with the platform's url and key in the environment. */
    Cli.Result montage(String... args) {
        return Cli.run(platform, home, args);
    }
}
