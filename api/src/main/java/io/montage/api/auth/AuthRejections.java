package io.montage.api.auth;

import io.micronaut.http.HttpRequest;
import io.montage.apikeys.KeyRejection;

/**
 * Carries why a key was refused from the reader or validator (which may only say "no authentication") to the
 * handler that writes the 401, as a request attribute.
 */
final class AuthRejections {

    private static final String ATTRIBUTE = "montage.auth.rejection";

    private AuthRejections() {
    }

    static void remember(HttpRequest<?> request, KeyRejection rejection) {
        if (request != null) {
            request.setAttribute(ATTRIBUTE, rejection);
        }
    }

    static KeyRejection of(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, KeyRejection.class).orElse(KeyRejection.MISSING);
    }
}
