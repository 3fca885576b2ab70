package io.montage.cli;

import java.io.Console;

/** Whether this process talks to a person at a terminal (a bar redraws in place) or to a pipe, a file, a test. */
public final class Terminal {

    private Terminal() {
    }

    /**
     * {@code Console.isTerminal()} where the JDK has it (22+: there {@code System.console()} is also non-null for
     * redirected streams); on 21, a console exists only at a terminal.
     */
    public static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
