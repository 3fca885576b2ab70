package io.montage.cli.jobs;

import io.montage.cli.Api;
import io.montage.cli.ApiOptions;
import io.montage.cli.Terminal;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code montage jobs watch ID}: the live progress bar of a job until it ends. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Follow a job with a live progress bar (items/s, time left, failures) until it ends; "
                + "exits 6 if any item failed.")
public final class WatchCommand implements Callable<Integer> {

    @CommandLine.Mixin
    ApiOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "JOB_ID", description = "The job's id (as submit printed it)")
    UUID id;

    @Override
    public Integer call() throws InterruptedException {
        Api api = options.connect();
        CommandLine line = spec.commandLine();
        return JobOutcome.report(new JobProgress(api, line.getErr(), Terminal.interactive()).follow(id),
                line.getOut());
    }
}
