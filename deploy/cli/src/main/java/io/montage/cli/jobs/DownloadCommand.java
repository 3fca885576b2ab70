package io.montage.cli.jobs;

import io.montage.cli.ApiOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code montage jobs results|errors ID}: a job's results or errors as the api streams them (JSONL, what has
 * finished so far while it runs), to a file or to standard output.
 */
abstract class DownloadCommand implements Callable<Integer> {

    @CommandLine.Mixin
    ApiOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "JOB_ID", description = "The job's id")
    UUID id;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to this file (default: stdout)")
    Path output;

    private final String what;

    DownloadCommand(String what) {
        this.what = what;
    }

    @Override
    public Integer call() {
        long size = options.connect().download("/v1/jobs/" + id + "/" + what, output, spec.commandLine().getOut());
        if (output != null) {
            spec.commandLine().getErr().printf("%s of job %s: %,d bytes in %s%n", what, id, size, output);
        }
        spec.commandLine().getOut().flush();
        return 0;
    }

    @Command(name = "results", mixinStandardHelpOptions = true,
            description = "Download a job's results (JSONL: custom_id, index, result per line).")
    static final class Results extends DownloadCommand {
        Results() {
            super("results");
        }
    }

    @Command(name = "errors", mixinStandardHelpOptions = true,
            description = "Download a job's item errors (JSONL: custom_id, index, error {code, message} per line).")
    static final class Errors extends DownloadCommand {
        Errors() {
            super("errors");
        }
    }
}
