package io.montage.console;

import io.micronaut.context.ApplicationContext;

import java.util.concurrent.CountDownLatch;

/**
 * Runs the admin console. Starting the context starts the web server (a context bean); closing it stops the
 * server, so a SIGTERM ends open sessions cleanly.
 */
public final class ConsoleMain {

    private ConsoleMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ApplicationContext context = ApplicationContext.run();
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            context.close();
            closed.countDown();
        }, "montage-shutdown"));
        closed.await();
    }
}
