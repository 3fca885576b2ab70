package io.montage.metrics;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * Where the worker and the console expose their metrics (montage.metrics.*; the api serves them on its management
 * port instead, {@code endpoints.all.port}).
 *
 * @param port the port of the Prometheus exposition ({@code GET /metrics}); 0 picks a free one; absent: none
 */
@ConfigurationProperties("montage.metrics")
public record MetricsConfig(@Nullable Integer port) {
}
