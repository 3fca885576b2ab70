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
 * @param maxCrashes     how many times a task's lease may expire (its worker died or was cut off running it)
 *                       before the task is split in two halves, each split again at its next crash, until a lone
 *                       item that keeps crashing fails with {@code worker_crashed}; a crash is never counted
 *                       against {@code maxAttempts}, which bounds the handler's own failures
 */
@ConfigurationProperties("montage.queue")
public record QueueConfig(
        @Bindable(defaultValue = "100") int itemsPerTask,
        @Bindable(defaultValue = "5") int maxAttempts,
        @Bindable(defaultValue = "60s") Duration leaseDuration,
        @Bindable(defaultValue = "2s") Duration retryBaseDelay,
        @Bindable(defaultValue = "5m") Duration retryMaxDelay,
        @Bindable(defaultValue = "7d") Duration retention,
        @Bindable(defaultValue = "3") int maxCrashes) {

    public QueueConfig {
        if (maxCrashes < 1) {
            throw new IllegalArgumentException("montage.queue.max-crashes must be at least 1, not " + maxCrashes);
        }
    }
}
