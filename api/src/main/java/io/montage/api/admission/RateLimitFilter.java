package io.montage.api.admission;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import io.montage.api.auth.TenantPrincipal;
import io.montage.api.problems.Problem;
import jakarta.inject.Named;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Rate-limits every authenticated {@code /v1} request by its API key, after authentication and before the body
 * is read: over the limit is 429 {@code rate_limited} with {@code Retry-After}; every answer to a counted request
 * carries the RateLimit fields ({@link RateLimitHeaders}). Decided where the request is when the node holds the
 * tenant's limits; on the blocking pool when it must read them from the database (now and then).
 */
@ServerFilter("/v1/**")
public class RateLimitFilter implements Ordered {

    private static final String DECISION = "montage.admission.rate-limit";

    private static final CompletableFuture<Optional<HttpResponse<?>>> PASS =
            CompletableFuture.completedFuture(Optional.empty());

    private final KeyRateLimiter limiter;
    private final RateLimitConfig config;
    private final Executor blocking;

    public RateLimitFilter(KeyRateLimiter limiter, RateLimitConfig config,
                           @Named(TaskExecutors.BLOCKING) Executor blocking) {
        this.limiter = limiter;
        this.config = config;
        this.blocking = blocking;
    }

    @RequestFilter
    public CompletableFuture<Optional<HttpResponse<?>>> limit(HttpRequest<?> request) {
        if (!config.enabled()) {
            return PASS;
        }
        Authentication authentication = request.getUserPrincipal(Authentication.class).orElse(null);
        if (authentication == null) {
            return PASS; // anonymous routes; the security filter has already refused the rest
        }
        TenantPrincipal caller = TenantPrincipal.of(authentication);
        KeyRateLimiter.Decision known = limiter.acquireIfKnown(caller.apiKeyId(), caller.tenantId());
        if (known != null) { // decided in memory, where the request is: a hop to the blocking pool costs more
            return CompletableFuture.completedFuture(answer(request, known));
        }
        return CompletableFuture.supplyAsync(
                () -> answer(request, limiter.acquire(caller.apiKeyId(), caller.tenantId())), blocking);
    }

    private static Optional<HttpResponse<?>> answer(HttpRequest<?> request, KeyRateLimiter.Decision decision) {
        request.setAttribute(DECISION, decision);
        if (decision.allowed()) {
            return Optional.empty();
        }
        MutableHttpResponse<Problem> refused = Problem.of(429, "rate_limited", "this API key sent more than "
                + decision.limit().burst() + " requests in a burst or " + decision.limit().requestsPerMinute()
                + " a minute; retry in " + RateLimitHeaders.retryAfterSeconds(decision) + " s").toResponse();
        RateLimitHeaders.apply(decision, refused);
        return Optional.of(refused);
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
