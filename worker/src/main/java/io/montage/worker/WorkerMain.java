package io.montage.worker;

import io.montage.lifecycle.ServiceMain;

/**
 * Runs a worker process. Starting the context starts the worker node (it is a context bean); closing the context
 * drains it, so a SIGTERM hands running tasks back instead of leaving them to expire.
 */
public final class WorkerMain {

    private WorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ServiceMain.runUntilStopped();
    }
}
