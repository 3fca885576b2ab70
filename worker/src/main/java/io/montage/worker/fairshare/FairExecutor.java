package io.montage.worker.fairshare;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A fixed pool of threads that runs work in {@link FairQueue} order instead of first come, first served: a
 * sync request's image is decoded next, not after the hundreds a bulk task queued before it. What any one flow can
 * queue is bounded by its window ({@link Flow#admit}).
 */
public final class FairExecutor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FairExecutor.class);
    /** How long an idle thread waits before it looks whether the pool closed. */
    private static final long IDLE_MILLIS = 200;

    private final FairQueue<Runnable> queue = new FairQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean open = true;

    public FairExecutor(String name, int threadCount) {
        for (int i = 1; i <= threadCount; i++) {
            threads.add(Thread.ofPlatform().daemon().name(name + "-" + i).start(this::runUntilClosed));
        }
    }

    /** An executor that queues its work as {@code flow}'s (for CompletableFuture's *Async stages). */
    public Executor forFlow(Flow flow) {
        return work -> execute(flow, work);
    }

    public void execute(Flow flow, Runnable work) {
        if (!open) {
            throw new RejectedExecutionException("the pool is closed");
        }
        queue.add(flow, work);
    }

    private void runUntilClosed() {
        try {
            while (open) {
                Runnable work = queue.take(IDLE_MILLIS, TimeUnit.MILLISECONDS);
                if (work != null) {
                    try {
                        work.run();
                    } catch (RuntimeException e) { // a CompletableFuture stage never throws; anything else is a bug
                        LOG.warn("a queued job failed", e);
                    }
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** Stops the threads; queued work is dropped (the worker is stopping, its tasks go back to the queue). */
    @Override
    public void close() {
        open = false;
        threads.forEach(Thread::interrupt);
        queue.drain();
    }
}
