package io.montage.console.live;

import io.montage.console.access.Feedback;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Slow changes views start (registering a bundle downloads, unpacks and checksums up to gigabytes) run here, off
 * the UI thread, so the operator's session keeps answering meanwhile; they push their outcome back to the view's
 * UI themselves. {@value #THREADS} run at once and {@value #WAITING} more wait, for the whole console: beyond that
 * a new one is refused at once rather than queued without end.
 */
@Singleton
public class BackgroundWork {

    private static final int THREADS = 2;
    private static final int WAITING = 8;

    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(WAITING), Thread.ofPlatform().name("console-work-", 1).daemon().factory());

    /** Starts {@code work} (from the UI thread); false, and the operator is told, when the console is full. */
    public boolean start(Runnable work) {
        try {
            pool.execute(work);
            return true;
        } catch (RejectedExecutionException full) {
            Feedback.error("The console is busy: " + (THREADS + WAITING) + " slow changes are running or waiting "
                    + "already. Try again when one has ended.");
            return false;
        }
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }
}
