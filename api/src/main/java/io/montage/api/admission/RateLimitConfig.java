package io.montage.api.admission;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The per-key rate limiter of each api node (montage.admission.rate-limit.*; the limits themselves are per tenant,
 * montage.quotas.requests-per-minute and burst, see ADR 0009).
 *
 * @param enabled     off only for benchmarks that measure the platform without it
 * @param maxKeys     token buckets one api node holds; the least recently used beyond it are dropped (a dropped
 *                    bucket starts full again, so the bound is on memory, ~200 bytes a key, not on fairness). A
 *                    bucket idle long enough to be full again is dropped anyway.
 * @param limitsFor   how long a node uses a tenant's limits before reading them again: a changed quota takes
 *                    effect within this time
 */
@ConfigurationProperties("montage.admission.rate-limit")
public record RateLimitConfig(@Bindable(defaultValue = "true") boolean enabled,
                              @Bindable(defaultValue = "100000") int maxKeys,
                              @Bindable(defaultValue = "30s") Duration limitsFor) {
}
