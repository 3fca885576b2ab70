package io.montage.api.auth;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.reader.TokenReader;
import io.montage.apikeys.KeyRejection;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * Reads the API key from {@code Authorization: Bearer …} (the OpenAI convention, so OpenAI clients work as they
 * are). A header in another shape is remembered as malformed, so the 401 can say so instead of "missing".
 */
@Singleton
public class ApiKeyTokenReader implements TokenReader<HttpRequest<?>> {

    private static final String BEARER = "Bearer ";

    @Override
    public Optional<String> findToken(HttpRequest<?> request) {
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            AuthRejections.remember(request, KeyRejection.MALFORMED);
            return Optional.empty();
        }
        return Optional.of(header.substring(BEARER.length()).trim());
    }
}
