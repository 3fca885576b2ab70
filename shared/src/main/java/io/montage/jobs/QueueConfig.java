package io.montage.jobs;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Queue tuning (montage.queue.*).
 *
 * @param itemsPerTask   how many items one task carries: the unit of claiming, retrying and counting
 * @param maxAttempts    attempts per task before it is dead
 * @param leaseDuration  how long a claim holds without a heartbeat
 * @param retryBaseDelay backoff after the first failed attempt; doubles per attempt, with full jitter
 * @param retryMaxDelay  the backoff never exceeds this
 * @param retention      how long a job that states no retention of its own is kept (platform work: model
 *                       validation, model-switch re-embedding); tenants' jobs state theirs
 */
@ConfigurationProperties("montage.queue")
public record QueueConfig(
        @Bindable(defaultValue = "100") int itemsPerTask,
        @Bindable(defaultValue = "5") int maxAttempts,
        @Bindable(defaultValue = "60s") Duration leaseDuration,
        @Bindable(defaultValue = "2s") Duration retryBaseDelay,
        @Bindable(defaultValue = "5m") Duration retryMaxDelay,
        @Bindable(defaultValue = "7d") Duration retention) {
}
