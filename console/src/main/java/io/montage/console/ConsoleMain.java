package io.montage.console;

import io.montage.lifecycle.ServiceMain;

/**
 * Runs the admin console. Starting the context starts the web server (a context bean); closing it stops the
 * server, so a SIGTERM ends open sessions cleanly.
 */
public final class ConsoleMain {

    private ConsoleMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ServiceMain.runUntilStopped();
    }
}
