package io.montage.api.auth;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.reader.TokenReader;
import io.montage.apikeys.KeyRejection;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Optional;

/**
 * Reads the API key from {@code Authorization: Bearer …} (the OpenAI convention, so OpenAI clients work as they
 * are). A header in another shape is remembered as malformed, so the 401 can say so instead of "missing"; two
 * Authorization headers are refused too, since servers and proxies disagree on which of them counts.
 */
@Singleton
public class ApiKeyTokenReader implements TokenReader<HttpRequest<?>> {

    private static final String BEARER = "Bearer ";

    @Override
    public Optional<String> findToken(HttpRequest<?> request) {
        List<String> headers = request.getHeaders().getAll(HttpHeaders.AUTHORIZATION);
        if (headers.size() > 1) {
            AuthRejections.remember(request, KeyRejection.MULTIPLE);
            return Optional.empty();
        }
        if (headers.isEmpty() || headers.getFirst().isBlank()) {
            return Optional.empty();
        }
        String header = headers.getFirst();
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            AuthRejections.remember(request, KeyRejection.MALFORMED);
            return Optional.empty();
        }
        return Optional.of(header.substring(BEARER.length()).trim());
    }
}
