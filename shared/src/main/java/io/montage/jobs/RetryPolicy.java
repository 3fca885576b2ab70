package io.montage.jobs;

import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: attempt n waits a random time between half and all of
 * min(base·2^(n-1), max), so retries of many tasks that failed together spread out instead of returning together.
 */
@Singleton
public class RetryPolicy {

    private final Duration base;
    private final Duration max;

    public RetryPolicy(QueueConfig config) {
        this.base = config.retryBaseDelay();
        this.max = config.retryMaxDelay();
    }

    /** The ceiling of the delay after failed attempt {@code attempt} (1-based), before jitter. */
    public Duration ceiling(int attempt) {
        int doublings = Math.min(Math.max(attempt - 1, 0), 30);
        long millis = base.toMillis() << doublings;
        return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }

    public Duration delayAfter(int attempt) {
        long ceiling = ceiling(attempt).toMillis();
        long floor = ceiling / 2;
        return Duration.ofMillis(floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1));
    }
}
