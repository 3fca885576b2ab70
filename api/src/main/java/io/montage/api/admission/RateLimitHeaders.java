package io.montage.api.admission;

import io.micronaut.http.MutableHttpResponse;

/**
 * The rate-limit fields of IETF draft-ietf-httpapi-ratelimit-headers-10 for one decision:
 * {@code RateLimit-Policy: "per-key";q=<burst>;w=<seconds to refill it>} (the bucket as a quota per window) and
 * {@code RateLimit: "per-key";r=<tokens left>;t=<seconds>}, where t is how long until the bucket is full again,
 * or, when the request was refused, until the next token: then it equals {@code Retry-After}, which the draft
 * says must not point earlier than t.
 */
final class RateLimitHeaders {

    private static final String POLICY = "\"per-key\"";

    private RateLimitHeaders() {
    }

    static void apply(KeyRateLimiter.Decision decision, MutableHttpResponse<?> response) {
        KeyRateLimiter.Limit limit = decision.limit();
        response.getHeaders().set("RateLimit-Policy", POLICY + ";q=" + limit.burst() + ";w="
                + Math.max(1, seconds(limit.refill().toNanos())));
        long t = decision.allowed() ? seconds(decision.nanosToFull()) : retryAfterSeconds(decision);
        response.getHeaders().set("RateLimit", POLICY + ";r=" + decision.remaining() + ";t=" + t);
        if (!decision.allowed()) {
            response.getHeaders().set("Retry-After", Long.toString(t));
        }
    }

    /** Whole seconds until the refused request would pass (at least 1: Retry-After has no fractions). */
    static long retryAfterSeconds(KeyRateLimiter.Decision decision) {
        return Math.max(1, seconds(decision.nanosToWait()));
    }

    private static long seconds(long nanos) {
        return Math.ceilDiv(nanos, 1_000_000_000L);
    }
}
