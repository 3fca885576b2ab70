package io.montage.api.admin;

import io.micronaut.context.annotation.Prototype;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.models.ModelStatus;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Registers a model bundle and, with {@code --wait}, waits for a worker's smoke test to make it ready. Prints
 * {@code name@version} on stdout. Registering the same bundle again is harmless.
 */
@Prototype
@Command(name = "register-model", mixinStandardHelpOptions = true,
        description = "Register a model bundle (directory, .zip or .tar.gz; path or http(s) URL).")
public class RegisterModelCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--source", required = true, description = "The bundle: a directory, .zip or .tar.gz, a path or URL")
    String source;

    @Option(names = "--wait", description = "Wait up to this many seconds for validation (default: don't wait)")
    Integer waitSeconds;

    @Inject
    ModelRegistry registry;
    @Inject
    CommandAudit audit;

    @Override
    public Integer call() throws InterruptedException {
        Model model = audit.recorded("model.register", "bundle " + source, null, () -> registry.register(source));
        spec.commandLine().getErr().println("model " + model.reference() + " is " + model.status().wireName());
        if (waitSeconds != null) {
            long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
            while (model.status() == ModelStatus.VALIDATING && System.nanoTime() < deadline) {
                Thread.sleep(250);
                model = registry.find(model.id()).orElseThrow();
            }
            spec.commandLine().getErr().println("model " + model.reference() + " is " + model.status().wireName()
                    + (model.failureReason() == null ? "" : ": " + model.failureReason()));
        }
        spec.commandLine().getOut().println(model.reference());
        return model.status() == ModelStatus.FAILED ? 1 : 0;
    }
}
