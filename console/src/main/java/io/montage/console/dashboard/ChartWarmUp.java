package io.montage.console.dashboard;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.montage.workers.Throughput;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;

/**
 * Draws one chart while the console starts: a JVM's first JFreeChart drawing loads AWT and its fonts (1-2 s measured,
 * against ~6 ms for the next), which the first operator to open the dashboard would otherwise wait for.
 */
@Singleton
final class ChartWarmUp implements ApplicationEventListener<StartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(ChartWarmUp.class);

    @Override
    public void onApplicationEvent(StartupEvent event) {
        Thread.ofPlatform().daemon().name("chart-warm-up").start(() -> {
            try {
                ThroughputChart.svg(List.of(new Throughput.Minute(Instant.now(), 0, 0)));
            } catch (RuntimeException | LinkageError e) {
                // the dashboard's refreshes will fail the same way and say so; say why once, at start
                LOG.warn("the dashboard cannot draw its chart (does this machine have a font? "
                        + "Debian: fonts-dejavu-core): {}", e.toString());
            }
        });
    }
}
