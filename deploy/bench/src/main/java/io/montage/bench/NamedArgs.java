package io.montage.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --name value} arguments of a bench main, {@code --note} repeatable (lines for the report's settings), and
 * the report's way out: printed, and appended to {@code --out FILE} when given.
 */
public record NamedArgs(Map<String, String> values, List<String> notes) {

    /** Parses the arguments; exits with status 2 and a usage line when they are malformed or miss a required one. */
    public static NamedArgs parse(String[] argv, List<String> required, String usage) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < argv.length; i += 2) {
            if (!argv[i].startsWith("--") || i + 1 == argv.length) {
                exit("usage: " + usage + "; got '" + argv[i] + "'");
            }
            if (argv[i].equals("--note")) {
                notes.add(argv[i + 1]);
            } else {
                values.put(argv[i].substring(2), argv[i + 1]);
            }
        }
        for (String name : required) {
            if (!values.containsKey(name)) {
                exit("--" + name + " is required; usage: " + usage);
            }
        }
        return new NamedArgs(values, notes);
    }

    public String get(String name) {
        return values.get(name);
    }

    public String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public int integer(String name, int fallback) {
        return Integer.parseInt(get(name, String.valueOf(fallback)));
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** Prints the report and appends it to {@code --out}, if given. */
    public void publish(String report) throws IOException {
        System.out.println(report);
        if (has("out")) {
            Files.writeString(Path.of(get("out")), report + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }

    private static void exit(String message) {
        System.err.println(message);
        System.exit(2);
    }
}
