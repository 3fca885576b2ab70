package io.montage.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real worker (real DJL) as its own process, the way production runs one beside the api: the worker module's
 * classes and runtime classpath, which the reactor builds before the api's tests (api/pom.xml), with the given
 * Micronaut properties. Closing it sends SIGTERM, so it drains and marks itself stopped as in production.
 */
public final class WorkerProcess implements AutoCloseable {

    private static final Path WORKER = Path.of("..", "worker", "target").toAbsolutePath().normalize();

    private final Process process;
    private final Path log;

    private WorkerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static WorkerProcess start(Map<String, Object> properties) {
        Path classes = WORKER.resolve("classes");
        Path classpath = WORKER.resolve("runtime-classpath.txt");
        if (!Files.isDirectory(classes) || !Files.isRegularFile(classpath)) {
            throw new IllegalStateException("the worker is not built (" + classpath + "): run Maven with -am so the "
                    + "reactor builds montage-worker before the api's tests");
        }
        try {
            List<String> command = new ArrayList<>(List.of(
                    ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED"));
            properties.forEach((name, value) -> command.add("-D" + name + "=" + value));
            command.addAll(List.of("-cp", classes + java.io.File.pathSeparator + Files.readString(classpath).strip(),
                    "io.montage.worker.WorkerMain"));
            Path log = Files.createTempFile(Path.of("target"), "worker-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("OMP_WAIT_POLICY", "PASSIVE"); // as deploy/local/lib.sh starts workers
            return new WorkerProcess(builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the worker", e);
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** The end of the worker's log, for a failure message. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return log + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: the worker drains its tasks and marks itself stopped
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
