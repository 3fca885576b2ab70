package io.montage.quotas;

import io.montage.errors.MontageException;

import java.time.Duration;
import java.util.Locale;

/**
 * 429 {@code quota_exceeded}: the request would take the tenant over one of its quotas. The detail names the quota,
 * its limit, the usage and what the request adds; {@link #retryAfter()} is set only where waiting helps.
 */
public class QuotaExceededException extends MontageException {

    private final Quota quota;
    private final long limit;
    private final long usage;

    QuotaExceededException(Quota quota, long limit, long usage, long adding, Duration retryAfter) {
        super(429, "quota_exceeded", "this request would exceed the " + quota.wireName() + " quota: the limit is "
                + number(limit) + " " + quota.unit() + ", " + number(usage) + " are used"
                + (adding > 0 ? " and this request adds " + number(adding) : "") + "; " + quota.remedy(), retryAfter);
        this.quota = quota;
        this.limit = limit;
        this.usage = usage;
    }

    public Quota quota() {
        return quota;
    }

    public long limit() {
        return limit;
    }

    public long usage() {
        return usage;
    }

    static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
