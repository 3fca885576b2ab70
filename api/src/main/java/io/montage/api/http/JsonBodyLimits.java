package io.montage.api.http;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * JSON bodies are read whole into memory before a controller sees them, so they have a limit of their own
 * (montage.api.*); the server's buffer (micronaut.server.max-request-buffer-size) is sized from it.
 *
 * @param maxJsonBytes one JSON body; 32 MiB holds an image at the 20 MiB image limit sent as base64 (26.7 MiB)
 */
@ConfigurationProperties("montage.api")
public record JsonBodyLimits(@Bindable(defaultValue = "33554432") long maxJsonBytes) {
}
