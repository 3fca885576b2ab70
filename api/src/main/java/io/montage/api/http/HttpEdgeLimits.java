package io.montage.api.http;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * How long a client may take to send a request (montage.http.*). None of these runs while the server itself is
 * busy: a client waiting for its answer sends nothing and is never cut.
 *
 * @param requestHeadTimeout the request line and headers must be complete this long after the connection was
 *                           accepted (its first request) or after their first byte (a later one)
 * @param bodyStallTimeout   a request body may pause this long while the server waits for more of it
 * @param idleTimeout        a keep-alive connection may wait this long for its next request once every answer is
 *                           sent; keep it above the idle timeout of a load balancer in front, which must close an
 *                           idle connection first (else it may send a request just as the api closes)
 */
@ConfigurationProperties("montage.http")
public record HttpEdgeLimits(@Bindable(defaultValue = "10s") Duration requestHeadTimeout,
                             @Bindable(defaultValue = "10s") Duration bodyStallTimeout,
                             @Bindable(defaultValue = "75s") Duration idleTimeout) {
}
