package io.montage.api.problems;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.montage.errors.MontageException;
import jakarta.inject.Singleton;

/**
 * Domain failures carry their own status and code: they become problem JSON as they are, with {@code Retry-After}
 * (whole seconds) when waiting helps.
 */
@Produces
@Singleton
@Requires(classes = {MontageException.class, ExceptionHandler.class})
public class MontageExceptionHandler implements ExceptionHandler<MontageException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, MontageException exception) {
        MutableHttpResponse<Problem> response = Problem.of(exception.status(), exception.code(), exception.getMessage())
                .toResponse();
        exception.retryAfter().ifPresent(wait -> response.header(HttpHeaders.RETRY_AFTER,
                Long.toString(Math.max(1, Math.ceilDiv(wait.toMillis(), 1000)))));
        return response;
    }
}
