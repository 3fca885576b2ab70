package io.montage.api.admission;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.montage.quotas.Quotas;
import io.montage.quotas.TenantQuotas;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.UUID;

/**
 * A token bucket (Bucket4j) per API key, local to this api node (ADR 0009: a shared bucket in PostgreSQL cost a
 * database round trip and a row lock per request), with the limit of the key's tenant. Buckets live in a bounded
 * cache: at most {@code max-keys} of them, each dropped once it has been idle long enough to be full again, which
 * a fresh bucket is too.
 */
@Singleton
public class KeyRateLimiter {

    /** A tenant's rate limit: {@code burst} requests at once, refilled at {@code requestsPerMinute}. */
    public record Limit(int requestsPerMinute, int burst) {

        /** How long an empty bucket takes to fill up again. */
        Duration refill() {
            return Duration.ofNanos(Math.ceilDiv(burst * 60_000_000_000L, requestsPerMinute));
        }

        Bucket newBucket() {
            return Bucket.builder()
                    .addLimit(limit -> limit.capacity(burst).refillGreedy(requestsPerMinute, Duration.ofMinutes(1)))
                    .build();
        }
    }

    /** The answer for one request: whether it may pass, and what is left of the key's bucket. */
    public record Decision(Limit limit, boolean allowed, long remaining, long nanosToWait, long nanosToFull) {
    }

    private record KeyBucket(Limit limit, Bucket bucket) {
    }

    private final Cache<UUID, KeyBucket> buckets;
    private final LoadingCache<UUID, Limit> limits;

    public KeyRateLimiter(RateLimitConfig config, Quotas quotas) {
        this.buckets = Caffeine.newBuilder()
                .maximumSize(config.maxKeys())
                .expireAfter(Expiry.accessing((UUID key, KeyBucket held) -> held.limit().refill()))
                .build();
        this.limits = Caffeine.newBuilder()
                .maximumSize(config.maxKeys())
                .expireAfterWrite(config.limitsFor())
                .build(tenantId -> limitOf(quotas.of(tenantId)));
    }

    /** Takes a token from the key's bucket if there is one. May read the tenant's limits (blocking) once in a while. */
    public Decision acquire(UUID apiKeyId, UUID tenantId) {
        return acquire(apiKeyId, limits.get(tenantId));
    }

    /** As {@link #acquire}, if the node holds the tenant's limits (no database read); else null. */
    public Decision acquireIfKnown(UUID apiKeyId, UUID tenantId) {
        Limit limit = limits.getIfPresent(tenantId);
        return limit == null ? null : acquire(apiKeyId, limit);
    }

    private Decision acquire(UUID apiKeyId, Limit limit) {
        KeyBucket held = buckets.get(apiKeyId, key -> new KeyBucket(limit, limit.newBucket()));
        if (!held.limit().equals(limit)) { // an operator changed the tenant's limit: start over under the new one
            held = new KeyBucket(limit, limit.newBucket());
            buckets.put(apiKeyId, held);
        }
        ConsumptionProbe probe = held.bucket().tryConsumeAndReturnRemaining(1);
        return new Decision(limit, probe.isConsumed(), probe.getRemainingTokens(), probe.getNanosToWaitForRefill(),
                probe.getNanosToWaitForReset());
    }

    private static Limit limitOf(TenantQuotas quotas) {
        return new Limit(quotas.requestsPerMinute(), quotas.burst());
    }
}
