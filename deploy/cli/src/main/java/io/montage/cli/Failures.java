package io.montage.cli;

import picocli.CommandLine;

/** Prints a {@link CliFailure} as one line and exits with its code; anything else is a bug (exit 1, with a trace). */
final class Failures implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine line, CommandLine.ParseResult parsed) {
        if (e instanceof CliFailure failure) {
            line.getErr().println(line.getColorScheme().errorText("error: " + failure.getMessage()));
            return failure.exitCode();
        }
        line.getErr().println(line.getColorScheme().errorText("unexpected error (please report it): " + e));
        e.printStackTrace(line.getErr());
        return 1;
    }
}
