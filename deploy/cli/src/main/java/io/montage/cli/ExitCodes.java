package io.montage.cli;

/** What {@code montage} exits with (listed in its --help and in docs/cli.md). */
public final class ExitCodes {

    public static final int DONE = 0;
    public static final int NOT_CONFIGURED = 3;
    public static final int REFUSED = 4;
    public static final int UNAVAILABLE = 5;
    public static final int ITEMS_FAILED = 6;

    private ExitCodes() {
    }
}
