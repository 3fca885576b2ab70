package io.montage.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs {@code montage} in this JVM, as its main does, with this environment; captures what it prints. */
final class Cli {

    private Cli() {
    }

    /** With the platform's url and key in the environment, and a home without a config file. */
    static Result run(PackagedPlatform platform, Path home, String... args) {
        return run(Map.of("MONTAGE_API_URL", platform.url(), "MONTAGE_API_KEY", platform.key(),
                "HOME", home.toString()), args);
    }

    static Result run(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine line = MontageCli.commandLine(new HashMap<>(environment));
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        int code = line.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
        }
    }
}
