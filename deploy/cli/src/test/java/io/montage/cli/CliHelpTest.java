package io.montage.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command answers --help without an api or a key, and the top one lists the exit codes. */
class CliHelpTest {

    @Test
    void everyCommandHasHelp() {
        List<String[]> paths = new ArrayList<>();
        collect(MontageCli.commandLine(Map.of()), new ArrayList<>(), paths);
        assertTrue(paths.size() >= 12, "montage, embed, classify, jobs ×5, collections ×4, models ×2: " + paths.size());
        for (String[] path : paths) {
            List<String> args = new ArrayList<>(List.of(path));
            args.add("--help");
            Cli.Result help = Cli.run(Map.of(), args.toArray(String[]::new));
            assertEquals(0, help.exitCode(), String.join(" ", args) + ": " + help);
            assertTrue(help.out().startsWith("Usage: montage"), String.join(" ", args) + ": " + help.out());
        }
        String top = Cli.run(Map.of(), "--help").out();
        assertTrue(top.contains("Exit codes:") && top.contains("6   a job ended with failed items"), top);
    }

    private static void collect(CommandLine line, List<String> path, List<String[]> paths) {
        paths.add(path.toArray(String[]::new));
        line.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                List<String> deeper = new ArrayList<>(path);
                deeper.add(name);
                collect(sub, deeper, paths);
            }
        });
    }
}
