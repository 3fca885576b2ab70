package io.montage.cli.jobs;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code montage jobs}: bulk jobs. */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "Bulk jobs: submit, follow, download.",
        subcommands = {SubmitCommand.class, WatchCommand.class, DownloadCommand.Results.class,
                DownloadCommand.Errors.class, CommandLine.HelpCommand.class})
public final class JobsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
