package io.montage.api.admission;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.authentication.Authentication;
import io.montage.api.auth.TenantPrincipal;
import io.montage.api.problems.Problem;

/**
 * Rate-limits every authenticated {@code /v1} request by its API key, after authentication and before the body
 * is read: over the limit is 429 {@code rate_limited} with {@code Retry-After}; every answer to a counted request
 * carries the RateLimit fields ({@link RateLimitHeaders}). Runs on the blocking pool: now and then it reads a
 * tenant's limits from the database.
 */
@ServerFilter("/v1/**")
public class RateLimitFilter implements Ordered {

    private static final String DECISION = "montage.admission.rate-limit";

    private final KeyRateLimiter limiter;
    private final RateLimitConfig config;

    public RateLimitFilter(KeyRateLimiter limiter, RateLimitConfig config) {
        this.limiter = limiter;
        this.config = config;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    public HttpResponse<?> limit(HttpRequest<?> request) {
        if (!config.enabled()) {
            return null;
        }
        Authentication authentication = request.getUserPrincipal(Authentication.class).orElse(null);
        if (authentication == null) {
            return null; // anonymous routes; the security filter has already refused the rest
        }
        TenantPrincipal caller = TenantPrincipal.of(authentication);
        KeyRateLimiter.Decision decision = limiter.acquire(caller.apiKeyId(), caller.tenantId());
        request.setAttribute(DECISION, decision);
        if (decision.allowed()) {
            return null;
        }
        MutableHttpResponse<Problem> refused = Problem.of(429, "rate_limited", "this API key sent more than "
                + decision.limit().burst() + " requests in a burst or " + decision.limit().requestsPerMinute()
                + " a minute; retry in " + RateLimitHeaders.retryAfterSeconds(decision) + " s").toResponse();
        RateLimitHeaders.apply(decision, refused);
        return refused;
    }

    @ResponseFilter
    public void headers(HttpRequest<?> request, MutableHttpResponse<?> response) {
        request.getAttribute(DECISION, KeyRateLimiter.Decision.class)
                .ifPresent(decision -> RateLimitHeaders.apply(decision, response));
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }
}
