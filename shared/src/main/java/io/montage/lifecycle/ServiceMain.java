package io.montage.lifecycle;

import io.micronaut.context.ApplicationContext;

import java.util.concurrent.CountDownLatch;

/**
 * How a process without an HTTP server of Micronaut's own (worker, console) lives: starting the context starts its
 * context beans (the worker node, the console's web server); SIGTERM closes the context, which stops them cleanly
 * (the worker drains, the console ends its sessions), and only then does the process exit.
 */
public final class ServiceMain {

    private ServiceMain() {
    }

    /** Starts the context and returns when it has been closed by a shutdown signal. */
    public static void runUntilStopped() throws InterruptedException {
        ApplicationContext context = ApplicationContext.run();
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            context.close();
            closed.countDown();
        }, "montage-shutdown"));
        // the context's threads are daemons: the process lives exactly as long as main waits here
        closed.await();
    }
}
