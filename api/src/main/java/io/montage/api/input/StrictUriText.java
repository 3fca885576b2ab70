package io.montage.api.input;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.web.router.MethodBasedRouteInfo;
import io.micronaut.web.router.RouteAttributes;
import io.montage.api.problems.ParameterTypes;
import io.montage.api.problems.Problem;
import io.montage.errors.MontageException;
import io.montage.json.StrictJson;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The text of path segments and query parameters (collection names, item ids, labels…) is decoded strictly before
 * routes bind it: every escape is {@code %XX}, the bytes are UTF-8, and the text passes {@link StrictJson#checkText}
 * (no NUL: {@code %00} would reach the database as a character no text column holds). The framework's own decoding
 * is lenient: a malformed byte silently becomes U+FFFD. A query parameter the route reads as something other than
 * text (an integer, a UUID) must not be empty: the framework reads {@code limit=} as no limit at all, which hides a
 * client's bug (a variable that was never set). Runs after authentication, like the body check.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class StrictUriText implements Ordered {

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }

    @RequestFilter
    @Nullable
    public HttpResponse<Problem> check(HttpRequest<?> request) {
        URI uri = request.getUri();
        try {
            for (String segment : uri.getRawPath().split("/")) {
                StrictJson.checkText(decode(segment, "the path"), "the path");
            }
            if (uri.getRawQuery() != null) {
                Map<String, Class<?>> typed = typedQueryValues(request);
                for (String parameter : uri.getRawQuery().split("&")) {
                    int equals = parameter.indexOf('=');
                    String name = decode(equals < 0 ? parameter : parameter.substring(0, equals), "a query parameter name");
                    StrictJson.checkText(name, "a query parameter name");
                    if (equals >= 0) {
                        String where = "query parameter '" + name + "'";
                        StrictJson.checkText(decode(parameter.substring(equals + 1), where), where);
                    }
                    if (typed.containsKey(name) && (equals < 0 || equals == parameter.length() - 1)) {
                        throw new MontageException(400, "invalid_parameter", name + " is empty; give "
                                + ParameterTypes.expected(typed.get(name)) + " or leave it out");
                    }
                }
            }
            return null;
        } catch (MontageException e) {
            return Problem.of(e.status(), e.code(), e.getMessage()).toResponse();
        }
    }

    /** The route's query parameters that are not text, by name, with their types (a list's: its elements'). */
    private static Map<String, Class<?>> typedQueryValues(HttpRequest<?> request) {
        if (!(RouteAttributes.getRouteInfo(request).orElse(null) instanceof MethodBasedRouteInfo<?, ?> route)) {
            return Map.of();
        }
        return Arrays.stream(route.getTargetMethod().getArguments())
                .filter(argument -> argument.isAnnotationPresent(QueryValue.class))
                .filter(argument -> !CharSequence.class.isAssignableFrom(valueType(argument)))
                .collect(Collectors.toMap(argument -> argument.getAnnotationMetadata().stringValue(QueryValue.class)
                        .orElse(argument.getName()), StrictUriText::valueType, (a, b) -> a));
    }

    private static Class<?> valueType(Argument<?> argument) {
        if (!Iterable.class.isAssignableFrom(argument.getType())) {
            return argument.getType();
        }
        return argument.getFirstTypeVariable().<Class<?>>map(Argument::getType).orElse(Object.class);
    }

    /** Percent-decodes one component ('+' stays: it is a character either way), refusing what is not UTF-8. */
    static String decode(String raw, String where) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            int high = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
            int low = high >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
            if (low < 0) {
                throw new MontageException(400, "invalid_uri_encoding", where + " has a '%' that is not followed by "
                        + "two hex digits; encode each byte as %XX (a literal '%' is %25)");
            }
            bytes.write(high * 16 + low);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new MontageException(400, "invalid_uri_encoding", where + " is not valid UTF-8 once "
                    + "percent-decoded; encode text as UTF-8 bytes, %XX each");
        }
    }
}
