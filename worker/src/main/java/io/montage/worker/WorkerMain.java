package io.montage.worker;

import io.micronaut.context.ApplicationContext;

import java.util.concurrent.CountDownLatch;

/**
 * Runs a worker process. Starting the context starts the worker node (it is a context bean); closing the context
 * drains it, so a SIGTERM hands running tasks back instead of leaving them to expire.
 */
public final class WorkerMain {

    private WorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ApplicationContext context = ApplicationContext.run();
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            context.close();
            closed.countDown();
        }, "montage-shutdown"));
        // The node's threads are daemons: the process lives exactly as long as main waits here.
        closed.await();
    }
}
