package io.montage.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The files under test, read as the tools that consume them read them. */
final class Manifests {

    /** Maven runs the tests in deploy/manifests. */
    static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    static final ObjectMapper JSON = new ObjectMapper();

    private Manifests() {
    }

    static Path file(String relative) {
        return ROOT.resolve(relative);
    }

    /**
     * Every YAML document of the text as a JSON tree. SnakeYAML, because Compose files use anchors and merge keys
     * ({@code <<: *env}), which Jackson's YAML parser does not resolve.
     */
    static List<JsonNode> yaml(String text) {
        List<JsonNode> documents = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
            if (document != null) {
                documents.add(JSON.valueToTree(document));
            }
        }
        return documents;
    }

    /** The elements of a JSON array; none for a missing one. */
    static List<JsonNode> elements(JsonNode array) {
        List<JsonNode> elements = new ArrayList<>();
        if (array != null) {
            array.forEach(elements::add);
        }
        return elements;
    }

    static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether an executable of this name is on the PATH. */
    static boolean installed(String command) {
        return Pattern.compile(java.io.File.pathSeparator).splitAsStream(Objects.requireNonNullElse(System.getenv("PATH"), ""))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    /** Runs a command in the repository root: its exit status and its output (stdout and stderr together). */
    static Result run(List<String> command) {
        return run(command, Map.of());
    }

    /** As {@link #run(List)}, with these environment variables added. */
    static Result run(List<String> command, Map<String, String> environment) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not end within 2 minutes");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    record Result(int status, String output) {
    }

    private static final Pattern PROPERTY_ROW = Pattern.compile("^\\| `(montage\\.[a-z0-9.-]+)`(?: / `([a-z0-9.-]+)`)? \\|",
            Pattern.MULTILINE);
    private static final Pattern VARIABLE = Pattern.compile("`(MONTAGE_[A-Z0-9_]+)`");

    /**
     * The environment variables docs/operations.md documents: each property of the configuration table in its
     * environment form (montage.a.b-c is MONTAGE_A_B_C, as Micronaut maps them), and every MONTAGE_ name it
     * spells out.
     */
    static Set<String> documentedVariables() {
        String operations = read(file("docs/operations.md"));
        Set<String> names = new TreeSet<>();
        Matcher row = PROPERTY_ROW.matcher(operations);
        while (row.find()) {
            names.add(variable(row.group(1)));
            if (row.group(2) != null) {
                names.add(variable(row.group(1).substring(0, row.group(1).lastIndexOf('.') + 1) + row.group(2)));
            }
        }
        Matcher variable = VARIABLE.matcher(operations);
        while (variable.find()) {
            names.add(variable.group(1));
        }
        return names;
    }

    private static String variable(String property) {
        return property.toUpperCase().replace('.', '_').replace('-', '_');
    }
}
