package io.montage.api.tracing;

import io.micronaut.http.HttpRequest;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The request's id ({@code X-Request-Id}): the caller's own when it is short and plain, else a fresh UUID. A value
 * that fails the check is replaced, never refused, so a proxy's odd id costs the caller nothing; it never reaches a
 * header, a log line or a row unchecked (no CRLF, no control characters, no unbounded length).
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    /** The most characters an accepted id has: a UUID, a W3C trace id or a proxy's id fit with room to spare. */
    public static final int MAX_LENGTH = 128;

    private static final String ATTRIBUTE = "montage.request-id";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:/+=-]{1," + MAX_LENGTH + "}");

    private RequestIds() {
    }

    /** The id of {@code request}, assigned once (the first call decides; later ones read it). */
    public static String of(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, String.class).orElseGet(() -> {
            String id = accepted(request.getHeaders().get(HEADER));
            request.setAttribute(ATTRIBUTE, id);
            return id;
        });
    }

    /** {@code offered} when it is a safe id, else a fresh one. */
    static String accepted(String offered) {
        return offered != null && SAFE.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
    }
}
