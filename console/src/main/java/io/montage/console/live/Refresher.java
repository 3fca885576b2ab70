package io.montage.console.live;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.shared.Registration;
import io.montage.console.ConsoleConfig;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One thread that re-reads what open live views show, every {@code montage.console.refresh-interval}, and pushes
 * it to their browsers (server push): the dashboard, the jobs view.
 */
@Singleton
public class Refresher {

    private static final Logger LOG = LoggerFactory.getLogger(Refresher.class);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "console-refresh");
        thread.setDaemon(true);
        return thread;
    });
    private final long intervalMillis;

    public Refresher(ConsoleConfig config) {
        this.intervalMillis = config.refreshInterval().toMillis();
    }

    /**
     * While {@code view} is attached: {@code read} on the refresh thread (the database, outside the UI's lock) and
     * then {@code show} what it read in the view's UI. A failed read is logged and tried again next interval.
     */
    public <T> void follow(Component view, Supplier<T> read, Consumer<T> show) {
        view.addAttachListener(attach -> {
            UI ui = attach.getUI();
            ScheduledFuture<?> refreshing = scheduler.scheduleWithFixedDelay(() -> {
                try {
                    T now = read.get();
                    ui.access(() -> show.accept(now));
                } catch (RuntimeException e) {
                    LOG.warn("{} refresh failed: {}", view.getClass().getSimpleName(), e.toString());
                }
            }, 0, intervalMillis, TimeUnit.MILLISECONDS);
            Registration[] detach = new Registration[1];
            detach[0] = view.addDetachListener(e -> {
                refreshing.cancel(false);
                detach[0].remove();
            });
        });
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
    }
}
