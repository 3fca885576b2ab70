package io.montage.cli;

/**
 * A failure the user can act on: printed as its message alone (no stack trace), with its exit code. A refusal
 * from the api carries the problem's {@code code}, {@code detail} and {@code request_id}.
 */
public final class CliFailure extends RuntimeException {

    private final int exitCode;

    public CliFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
