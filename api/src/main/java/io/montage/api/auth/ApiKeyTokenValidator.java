package io.montage.api.auth;

import io.micronaut.http.HttpRequest;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import io.montage.apikeys.KeyCheck;
import io.montage.apikeys.Scope;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.util.concurrent.ExecutorService;

/**
 * Turns a presented API key into an {@link Authentication} whose roles are the key's scopes, so endpoints state
 * what they need with {@code @Secured("jobs:read")}. A key the node has cached is answered where the request is; a
 * database check runs on the blocking pool, never on the event loop. A refused key yields no authentication, and the
 * reason is left for {@link AuthProblemHandler}.
 */
@Singleton
public class ApiKeyTokenValidator implements TokenValidator<HttpRequest<?>> {

    private final CachedKeyChecks apiKeys;
    private final Scheduler blocking;

    public ApiKeyTokenValidator(CachedKeyChecks apiKeys, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.apiKeys = apiKeys;
        this.blocking = Schedulers.fromExecutorService(blocking);
    }

    @Override
    public Publisher<Authentication> validateToken(String token, HttpRequest<?> request) {
        KeyCheck.Accepted cached = apiKeys.cached(token);
        if (cached != null) { // answered from memory, where it is: a hop to the blocking pool costs more (issue 10)
            return Mono.just(authentication(cached));
        }
        return Mono.fromCallable(() -> authenticate(token, request)).subscribeOn(blocking);
    }

    private Authentication authenticate(String token, HttpRequest<?> request) {
        return switch (apiKeys.check(token)) {
            case KeyCheck.Accepted accepted -> authentication(accepted);
            case KeyCheck.Rejected rejected -> {
                AuthRejections.remember(request, rejected.reason());
                yield null;
            }
        };
    }

    private static Authentication authentication(KeyCheck.Accepted accepted) {
        return TenantPrincipal.authentication(accepted.apiKey(), accepted.tenantSlug(),
                accepted.apiKey().scopes().stream().map(Scope::wireName).toList());
    }
}
