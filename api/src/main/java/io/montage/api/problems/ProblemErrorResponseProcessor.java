package io.montage.api.problems;

import io.micronaut.context.annotation.Primary;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.NotAcceptableException;
import io.micronaut.http.server.exceptions.UnsupportedMediaException;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteMatch;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;

/**
 * Turns every error the framework produces itself (unknown route, wrong method, unreadable JSON, body too large,
 * constraint violations…) into the same problem JSON as Montage's own errors, never with the framework's own text.
 */
@Primary
@Singleton
public class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {

    private static final Map<Integer, String> CODES = Map.of(
            400, "bad_request",
            404, "not_found",
            405, "method_not_allowed",
            406, "not_acceptable",
            413, "request_too_large",
            415, "unsupported_media_type",
            422, "validation_failed",
            503, "unavailable");

    private static final Map<Integer, String> DEFAULT_DETAILS = Map.of(
            400, "the request could not be read; see docs/api.md for this endpoint",
            404, "no such resource; see the API guide (docs/api.md) or /openapi.yml for the routes",
            405, "this route does not accept that HTTP method",
            413, "the request body is larger than the server accepts",
            415, "send the body as application/json");

    private final Router router;

    public ProblemErrorResponseProcessor(Router router) {
        this.router = router;
    }

    /** Errors the framework words itself are reworded (FrameworkErrors); others get a detail by status alone. */
    @Override
    public MutableHttpResponse<Problem> processResponse(ErrorContext context, MutableHttpResponse<?> base) {
        Problem problem = context.getRootCause().map(cause -> negotiated(context.getRequest(), cause))
                .flatMap(FrameworkErrors::describe)
                .orElseGet(() -> byStatus(base.getStatus().getCode()));
        return base.contentType(Problem.MEDIA_TYPE).body(problem).status(HttpStatus.valueOf(problem.status()));
    }

    /**
     * The framework reports an unsupported Content-Type as soon as one route of the path does not take it, even
     * when another route of the path does (the sync inference endpoints take JSON and forms): then the request was
     * refused for its {@code Accept}, which is a 406 naming what those routes produce.
     */
    private Throwable negotiated(HttpRequest<?> request, Throwable cause) {
        if (!(cause instanceof UnsupportedMediaException) || request.getContentType().isEmpty()) {
            return cause;
        }
        MediaType contentType = request.getContentType().get();
        List<UriRouteMatch<Object, Object>> taking = router.<Object, Object>findAny(request).stream()
                .filter(route -> route.getRouteInfo().getHttpMethodName().equals(request.getMethodName()))
                .filter(route -> route.getRouteInfo().doesConsume(contentType)).toList();
        if (taking.isEmpty()) {
            return cause;
        }
        return new NotAcceptableException(request.accept().stream().map(MediaType::toString).toList(),
                taking.stream().flatMap(route -> route.getRouteInfo().getProduces().stream())
                        .map(MediaType::toString).distinct().toList());
    }

    private static Problem byStatus(int status) {
        String code = CODES.getOrDefault(status, status >= 500 ? "internal_error" : "bad_request");
        String detail = status >= 500 && status != 503
                ? "the server failed to handle this request; it was logged"
                : DEFAULT_DETAILS.getOrDefault(status, HttpStatus.valueOf(status).getReason());
        return Problem.of(status, code, detail);
    }
}
