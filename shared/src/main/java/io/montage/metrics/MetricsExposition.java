package io.montage.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.OptionalInt;

/**
 * The Prometheus exposition of a process without a Micronaut HTTP server (the worker, the console): Prometheus'
 * own {@link HTTPServer} over the Micrometer registry, on {@code montage.metrics.port}, serving {@code /metrics}
 * (and {@code /-/healthy}). It reads nothing but the registry, whose series carry no tenant data beyond what
 * ADR 0026 allows. A port already taken is logged, not fatal: the process does its work without its metrics.
 */
@Context
@Requires(property = "montage.metrics.port")
public class MetricsExposition implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsExposition.class);

    private final HTTPServer server;

    public MetricsExposition(MetricsConfig config, PrometheusMeterRegistry registry) {
        HTTPServer started = null;
        try {
            started = HTTPServer.builder().port(config.port())
                    .registry(registry.getPrometheusRegistry()).buildAndStart();
            LOG.info("metrics on port {} (/metrics)", started.getPort());
        } catch (IOException e) {
            LOG.warn("no metrics: port {} could not be bound ({})", config.port(), e.getMessage());
        }
        this.server = started;
    }

    /** The bound port, when the exposition runs. */
    public OptionalInt port() {
        return server == null ? OptionalInt.empty() : OptionalInt.of(server.getPort());
    }

    @Override
    @PreDestroy
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
