package io.montage.quotas;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** One quota of a tenant as it stands: its limit and what is used of it. */
public record QuotaRoom(Quota quota, long limit, long used) {

    /** How much more fits. */
    public long left() {
        return Math.max(0, limit - used);
    }

    /** Refuses {@code adding} more when it does not fit. */
    public void require(long adding) {
        if (adding > left()) {
            throw exceeded(adding);
        }
    }

    public QuotaExceededException exceeded(long adding) {
        return new QuotaExceededException(quota, limit, used, adding, retryAfter(adding));
    }

    /** Only a daily quota frees up by waiting, and only for a request that fits in a day at all. */
    private Duration retryAfter(long adding) {
        if (quota != Quota.ITEMS_PER_DAY || adding > limit) {
            return null;
        }
        Instant now = Clock.systemUTC().instant();
        Instant midnight = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return Duration.between(now, midnight);
    }
}
