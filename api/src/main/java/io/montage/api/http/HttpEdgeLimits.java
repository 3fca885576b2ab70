package io.montage.api.http;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * How long a client may take to send a request (montage.http.*). Neither limit runs while the server itself is
 * busy: a client waiting for its answer sends nothing and is never cut.
 *
 * @param requestHeadTimeout the request line and headers must be complete this long after their first byte
 * @param bodyStallTimeout   a request body may pause this long while the server waits for more of it
 */
@ConfigurationProperties("montage.http")
public record HttpEdgeLimits(@Bindable(defaultValue = "10s") Duration requestHeadTimeout,
                             @Bindable(defaultValue = "10s") Duration bodyStallTimeout) {
}
