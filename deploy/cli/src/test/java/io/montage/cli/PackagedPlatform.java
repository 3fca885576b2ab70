package io.montage.cli;

import io.montage.testing.TestDatabase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged platform the CLI's tests talk to, started the way deploy/local/lib.sh starts it: the api and worker
 * jars as processes on a database of their own (cloned from montage_template), a tenant's key from
 * {@code admin create-key}, the demo model registered with {@code admin register-model --wait} (so a real worker
 * validated and serves it) and made the tenant's default. Once per test JVM; stopped, api first, before the
 * database is dropped. The jars come from the reactor: `./mvnw verify` packages api and worker before this module's
 * tests run.
 */
final class PackagedPlatform implements AutoCloseable {

    static final Path ROOT = Path.of("..", "..").toAbsolutePath().normalize();
    static final Path DEMO_BUNDLE = ROOT.resolve("deploy/models/fashion-clip-mini");
    private static final Path API_JAR = ROOT.resolve("api/target/montage-api-0.1.0-SNAPSHOT.jar");
    private static final Path WORKER_JAR = ROOT.resolve("worker/target/montage-worker-0.1.0-SNAPSHOT.jar");
    private static final long READY_WITHIN_MS = 120_000;
    private static PackagedPlatform platform;

    private final Path logs;
    private final Map<String, String> environment;
    private final List<Process> processes = new ArrayList<>();
    private final String url;
    private String key;
    private String model;

    private PackagedPlatform(Path logs, Map<String, String> environment, String url) {
        this.logs = logs;
        this.environment = environment;
        this.url = url;
    }

    static synchronized PackagedPlatform get() throws Exception {
        if (platform == null) {
            platform = start();
        }
        return platform;
    }

    private static PackagedPlatform start() throws Exception {
        for (Path jar : List.of(API_JAR, WORKER_JAR)) {
            Path classes = jar.getParent().resolve("classes");
            if (!Files.isRegularFile(jar) || Files.getLastModifiedTime(jar).compareTo(
                    Files.getLastModifiedTime(classes)) < 0) {
                throw new IllegalStateException(jar + " is missing or older than its classes: run the tests with "
                        + "./mvnw -pl deploy/cli -am verify, which packages api and worker first");
            }
        }
        Map<String, Object> database = TestDatabase.another();
        Path logs = Files.createDirectories(Path.of("target")).resolve("platform-" + ProcessHandle.current().pid());
        Files.createDirectories(logs);
        int[] ports = Ports.free(4);
        Map<String, String> environment = new HashMap<>(Map.of(
                "MONTAGE_DATABASE_URL", (String) database.get("montage.database.url"),
                "MONTAGE_MODELS_STORE", logs.resolve("models").toAbsolutePath().toString(),
                "MONTAGE_API_PORT", String.valueOf(ports[0]),
                "MONTAGE_API_MANAGEMENT_PORT", String.valueOf(ports[1]),
                "MONTAGE_WORKER_METRICS_PORT", String.valueOf(ports[2]),
                "MONTAGE_CONSOLE_METRICS_PORT", String.valueOf(ports[3]),
                // small pools: PostgreSQL's connections are shared with the other test JVMs on this machine
                "MONTAGE_DATABASE_POOL_SIZE", "4",
                "OMP_WAIT_POLICY", "PASSIVE"));
        PackagedPlatform started = new PackagedPlatform(logs, environment, "http://127.0.0.1:" + ports[0]);
        TestDatabase.closeBeforeDrop(started);
        started.key = started.admin("create-key", "--tenant", "cli", "--create-tenant", "--name", "cli tests");
        started.launch(WORKER_JAR, "worker");
        started.launch(API_JAR, "api");
        started.awaitReady();
        started.model = started.admin("register-model", "--source", DEMO_BUNDLE.toString(), "--wait", "180");
        started.admin("set-default-model", "--tenant", "cli", "--model", started.model);
        return started;
    }

    String url() {
        return url;
    }

    /** A key with every scope of the tenant whose default model is the demo model. */
    String key() {
        return key;
    }

    /** The demo model's id ({@code fashion-clip-mini@…}). */
    String model() {
        return model;
    }

    /** A key of another new tenant, with only these scopes (comma-separated wire names). */
    String newKey(String tenant, String scopes) throws Exception {
        return admin("create-key", "--tenant", tenant, "--create-tenant", "--name", "cli tests", "--scope", scopes);
    }

    /** An admin command of the api jar; its stdout, stripped. */
    private String admin(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-jar", API_JAR.toString(),
                "admin"));
        command.addAll(List.of(arguments));
        Path log = logs.resolve("admin-" + arguments[0] + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes()).strip();
        if (!process.waitFor(240, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("admin " + String.join(" ", arguments) + " failed: "
                    + Files.readString(log));
        }
        return out;
    }

    private void launch(Path jar, String name) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(java(), "-Xmx1g", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(logs.resolve(name + ".log").toFile());
        builder.environment().putAll(environment);
        processes.add(builder.start());
    }

    private void awaitReady() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + READY_WITHIN_MS;
        while (System.currentTimeMillis() < deadline) {
            if (processes.stream().anyMatch(p -> !p.isAlive())) {
                break;
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url + "/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException("the packaged api did not become ready; logs in " + logs.toAbsolutePath());
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** SIGTERM, api first: the worker then drains and marks itself stopped, as in production. */
    @Override
    public void close() throws InterruptedException {
        for (Process process : processes.reversed()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Free TCP ports: from {@code montage.test.port-base} upwards where set (a range of one's own), else any. */
    static final class Ports {
        private Ports() {
        }

        static int[] free(int count) {
            int[] ports = new int[count];
            int next = Integer.getInteger("montage.test.port-base", 0);
            for (int i = 0; i < count; i++) {
                if (next == 0) {
                    ports[i] = bind(0);
                } else {
                    while (bind(next) < 0) {
                        next++;
                    }
                    ports[i] = next++;
                }
            }
            return ports;
        }

        private static int bind(int port) {
            try (ServerSocket socket = new ServerSocket(port)) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                if (port == 0) {
                    throw new UncheckedIOException(taken);
                }
                return -1;
            }
        }
    }
}
