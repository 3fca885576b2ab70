package io.montage.e2e;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The running platform the flow is played against, as deploy/local/console-flow-test.sh started it: the console's
 * and the api's addresses, the first admin's login (the password from the environment, never an argument, which
 * the process list would show) and the demo bundle's path on the console's machine.
 */
record Platform(String consoleUrl, String apiUrl, String admin, String password, Path demoBundle) {

    static Platform fromEnvironment() {
        Platform platform = new Platform(env("MONTAGE_FLOW_CONSOLE_URL"), env("MONTAGE_FLOW_API_URL"),
                env("MONTAGE_FLOW_ADMIN"), env("MONTAGE_ADMIN_PASSWORD"), Path.of(env("MONTAGE_DEMO_BUNDLE")));
        if (!Files.isDirectory(platform.referenceImages())) {
            throw new IllegalStateException("MONTAGE_DEMO_BUNDLE has no reference/images: " + platform.demoBundle());
        }
        return platform;
    }

    /** Real Fashion-MNIST product photos (and a few others) that ship with the demo bundle. */
    Path referenceImages() {
        return demoBundle.resolve("reference/images");
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: deploy/local/console-flow-test.sh sets it");
        }
        return value;
    }
}
