package io.montage.api.auth;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.authentication.DefaultAuthorizationExceptionHandler;
import io.micronaut.web.router.RouteAttributes;
import io.montage.api.problems.Problem;
import io.montage.apikeys.KeyRejection;
import jakarta.inject.Singleton;

/**
 * 401 with the reason the key was refused (missing, malformed, bad checksum, unknown, revoked, expired, tenant
 * suspended), or 403 naming the scope the key lacks, always as problem JSON.
 */
@Produces
@Singleton
@Replaces(DefaultAuthorizationExceptionHandler.class)
public class AuthProblemHandler implements ExceptionHandler<AuthorizationException, MutableHttpResponse<?>> {

    @Override
    public MutableHttpResponse<?> handle(HttpRequest request, AuthorizationException exception) {
        if (exception.isForbidden()) {
            return Problem.of(403, "insufficient_scope",
                    "this API key lacks the scope this endpoint needs: " + requiredScopes(request)).toResponse();
        }
        KeyRejection rejection = AuthRejections.of(request);
        return Problem.of(401, rejection.code(), rejection.detail()).toResponse()
                .header("WWW-Authenticate", "Bearer realm=\"montage\"");
    }

    private static String requiredScopes(HttpRequest<?> request) {
        return RouteAttributes.getRouteMatch(request)
                .map(match -> match.getAnnotationMetadata().stringValues(Secured.class))
                .map(scopes -> String.join(" or ", scopes))
                .orElse("(unknown)");
    }
}
