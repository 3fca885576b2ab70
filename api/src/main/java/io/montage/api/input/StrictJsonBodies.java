package io.montage.api.input;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.ServerHttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.body.ByteBody;
import io.micronaut.http.body.CloseableAvailableByteBody;
import io.micronaut.http.body.CloseableByteBody;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.serde.config.SerdeConfiguration;
import io.micronaut.serde.config.naming.PropertyNamingStrategy;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.RouteInfo;
import io.montage.api.problems.Problem;
import io.montage.errors.MontageException;
import io.montage.json.JsonShape;
import io.montage.json.StrictJson;
import jakarta.inject.Named;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Every JSON request body passes {@link StrictJson} before a route binds it (UTF-8, depth, duplicate keys, NUL, lone
 * surrogates), must be an object, as every JSON body of this API is, and must give each field of the route's body
 * type a value of that field's JSON type ({@link BodyShapes}): the binder would coerce {@code "10"} to 10. Only JSON
 * content types (and bodies without a Content-Type, which routes bind as JSON) are read here: JSONL and zip uploads
 * stream to their routes, which check them line by line and entry by entry; buffering them would hold whole uploads
 * in memory. The filter reads its own split of the body, buffered (JSON bodies are buffered for binding anyway), and
 * parses on the blocking pool. Not on the event loop, even for small bodies: a verdict given inside the buffer's
 * completion re-enters Micronaut's shared body buffer (the request is released and its body closed while the buffer
 * is still completing: an AssertionError under -ea, a 500 to the caller). It runs after authentication, so the
 * bodies of callers without a valid key are never read.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class StrictJsonBodies implements Ordered {

    private final Executor blocking;
    private final BodyShapes shapes;
    /** Each route's body shape, worked out once: a route's body type never changes. */
    private final Map<RouteInfo<?>, JsonShape> routeShapes = new ConcurrentHashMap<>();

    public StrictJsonBodies(@Named(TaskExecutors.BLOCKING) Executor blocking, SerdeConfiguration serde) {
        this.blocking = blocking;
        this.shapes = new BodyShapes(Optional.ofNullable(serde.getPropertyNamingStrategy())
                .orElse(PropertyNamingStrategy.IDENTITY));
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }

    @RequestFilter
    public CompletableFuture<Optional<HttpResponse<?>>> check(HttpRequest<?> request) {
        if (!(request instanceof ServerHttpRequest<?> server) || !isJson(request)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        JsonShape shape = RouteAttributes.getRouteInfo(request)
                .map(route -> routeShapes.computeIfAbsent(route, r -> r.getFullRequestBodyType().map(shapes::of)
                        .orElse(JsonShape.ANY)))
                .orElse(JsonShape.ANY);
        CloseableByteBody copy = server.byteBody().split(ByteBody.SplitBackpressureMode.FASTEST);
        // a body that cannot be read whole (over the buffer limit, connection gone) is the route's binding to report
        return copy.buffer().<Optional<HttpResponse<?>>>handleAsync(
                        (body, failure) -> failure == null ? verdict(body, shape) : Optional.empty(), blocking)
                .whenComplete((verdict, failure) -> copy.close());
    }

    /** A JSON content type, or a body without one: routes bind such a body as JSON. */
    private static boolean isJson(HttpRequest<?> request) {
        return request.getContentType().map(type -> type.matches(MediaType.APPLICATION_JSON_TYPE)
                        || type.getType().equals("application") && type.getSubtype().endsWith("+json"))
                .orElse(request.getContentLength() > 0 || request.getHeaders().contains(HttpHeaders.TRANSFER_ENCODING));
    }

    private static Optional<HttpResponse<?>> verdict(CloseableAvailableByteBody body, JsonShape shape) {
        try (body) {
            if (StrictJson.check(body.toInputStream(), "the request body", shape) == StrictJson.Top.OTHER) {
                return Optional.of(Problem.of(400, "invalid_body", "the request body must be a JSON object "
                        + "({…}); see docs/api.md for the fields of each endpoint").toResponse());
            }
            return Optional.empty();
        } catch (MontageException e) {
            return Optional.of(Problem.of(e.status(), e.code(), e.getMessage()).toResponse());
        }
    }
}
