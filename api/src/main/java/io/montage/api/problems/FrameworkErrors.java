package io.montage.api.problems;

import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.core.type.Argument;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.exceptions.BufferLengthExceededException;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.server.exceptions.NotAcceptableException;
import io.micronaut.http.server.exceptions.UnsupportedMediaException;
import io.micronaut.json.JsonSyntaxException;
import io.micronaut.web.router.exceptions.DuplicateRouteException;
import io.micronaut.web.router.exceptions.UnsatisfiedBodyRouteException;
import io.micronaut.web.router.exceptions.UnsatisfiedRouteException;

import java.net.URISyntaxException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The errors the framework raises on its own (a body that is not JSON, a parameter of the wrong type, a missing
 * Content-Type…) in the API's words: a stable code and what to fix. The framework's messages name its classes,
 * its parser and its configuration, so none of their text is passed on.
 */
final class FrameworkErrors {

    private static final int MAX_ECHOED_CHARS = 64;

    private FrameworkErrors() {
    }

    /** The problem for this framework error, or empty if it is none the API words itself. */
    static Optional<Problem> describe(Throwable cause) {
        return Optional.ofNullable(switch (cause) {
            case JsonSyntaxException e -> JsonBodyProblems.of(e);
            case ConversionErrorException e -> conversion(e);
            case UnsatisfiedBodyRouteException e -> JsonBodyProblems.missing();
            case UnsatisfiedRouteException e -> Problem.of(400, "missing_parameter",
                    e.getArgument().getName() + " is required");
            case UnsupportedMediaException e -> Problem.of(415, "unsupported_media_type", "Content-Type '"
                    + echo(String.valueOf(e.getContentType())) + "' is not accepted here; send "
                    + oneOf(e.getAcceptableContentTypes()));
            case DuplicateRouteException e -> contentTypeNeeded(e);
            case NotAcceptableException e -> Problem.of(406, "not_acceptable", "this endpoint answers with "
                    + String.join(" or ", e.getProduceableContentTypes()) + "; accept that (or */*)");
            case URISyntaxException e -> Problem.of(400, "malformed_uri", "the path or query is not a valid URI: '%' "
                    + "must be followed by two hex digits, and spaces and other reserved characters percent-encoded");
            case BufferLengthExceededException e -> tooLarge();
            case ContentLengthExceededException e -> tooLarge();
            default -> null;
        });
    }

    /** A body of the wrong shape, or a path or query parameter that is not of its type. */
    private static Problem conversion(ConversionErrorException e) {
        Argument<?> argument = e.getArgument();
        if (argument.getAnnotationMetadata().hasStereotype(Body.class)) {
            return JsonBodyProblems.of(e);
        }
        String value = e.getConversionError().getOriginalValue().map(String::valueOf).orElse("");
        return Problem.of(400, "invalid_parameter", argument.getName() + " must be "
                + ParameterTypes.expected(argument.getType()) + ", got '" + echo(value) + "'");
    }

    /** Several routes differ only by the Content-Type they take, and the request sent none. */
    private static Problem contentTypeNeeded(DuplicateRouteException e) {
        List<String> types = e.getUriRoutes().stream()
                .flatMap(route -> route.getRouteInfo().getConsumes().stream())
                .map(MediaType::toString).distinct().toList();
        return Problem.of(415, "unsupported_media_type", "send a Content-Type header: " + oneOf(types));
    }

    /** Normally the edge refuses a body over its limit first, with the limit in the detail; this is the backstop. */
    private static Problem tooLarge() {
        return Problem.of(413, "request_too_large", "the body is larger than this endpoint accepts; JSON bodies and "
                + "uploads each have a limit (docs/api.md, HTTP limits)");
    }

    private static String oneOf(Collection<String> types) {
        return types.size() == 1 ? types.iterator().next() : "one of " + String.join(", ", types);
    }

    /** Client input quoted back, cut short: enough to recognise, never a way to make responses large. */
    private static String echo(String value) {
        return value.length() <= MAX_ECHOED_CHARS ? value : value.substring(0, MAX_ECHOED_CHARS) + "…";
    }
}
