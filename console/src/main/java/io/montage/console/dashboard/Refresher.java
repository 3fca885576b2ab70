package io.montage.console.dashboard;

import io.montage.console.ConsoleConfig;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** One thread that re-reads what open dashboards show, every {@code montage.console.refresh-interval}. */
@Singleton
public class Refresher {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "console-refresh");
        thread.setDaemon(true);
        return thread;
    });
    private final long intervalMillis;

    public Refresher(ConsoleConfig config) {
        this.intervalMillis = config.refreshInterval().toMillis();
    }

    /** Runs {@code refresh} now and then every interval until the returned handle is cancelled. */
    public ScheduledFuture<?> every(Runnable refresh) {
        return scheduler.scheduleWithFixedDelay(refresh, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
    }
}
