package io.montage.worker.fetch;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.convert.format.ReadableBytes;

import java.time.Duration;
import java.util.List;

/**
 * How workers fetch the images job items name by URL (montage.fetch.*). The URL is a tenant's, so each limit
 * here is what one item can make a worker spend.
 *
 * @param connectTimeout the longest opening one connection may take
 * @param totalTimeout   the longest a whole fetch may take, redirects and every body byte included: a timeout per
 *                       read alone would let a server that drips a byte at a time hold a worker for ever
 * @param maxBytes       the largest image accepted; by default the decoder's (montage.images.max-bytes), so
 *                       nothing is downloaded only to be refused
 * @param maxRedirects   how many redirects one fetch follows
 * @param allowedCidrs   internal networks fetched from all the same (10.1.2.0/24, fd00:1::/64, or one address),
 *                       for an operator's own image store; cloud metadata addresses stay forbidden whatever this says
 * @param userAgent      sent with every request, so the operators of image hosts can tell who is calling
 */
@ConfigurationProperties("montage.fetch")
public record FetchConfig(
        @Bindable(defaultValue = "5s") Duration connectTimeout,
        @Bindable(defaultValue = "20s") Duration totalTimeout,
        @Bindable(defaultValue = "20MB") @ReadableBytes int maxBytes,
        @Bindable(defaultValue = "3") int maxRedirects,
        @Nullable List<String> allowedCidrs,
        @Bindable(defaultValue = "Montage-ImageFetcher/1") String userAgent) {

    public FetchConfig {
        if (!connectTimeout.isPositive() || !totalTimeout.isPositive()) {
            throw new IllegalArgumentException("montage.fetch.connect-timeout and total-timeout must be positive, not "
                    + connectTimeout + " and " + totalTimeout);
        }
        if (maxBytes < 1 || maxRedirects < 0) {
            throw new IllegalArgumentException("montage.fetch.max-bytes must be positive and max-redirects at least 0,"
                    + " not " + maxBytes + " and " + maxRedirects);
        }
        // it goes into every request as it is: a line break would add headers of its own
        if (userAgent.isBlank() || !userAgent.chars().allMatch(c -> c >= ' ' && c <= '~')) {
            throw new IllegalArgumentException("montage.fetch.user-agent must be printable ASCII, not '" + userAgent + "'");
        }
        allowedCidrs = allowedCidrs == null ? List.of() : List.copyOf(allowedCidrs);
        allowedCidrs.forEach(Cidr::parse); // a mistyped network fails at startup, not at the first fetch
    }

    List<Cidr> allowedNetworks() {
        return allowedCidrs.stream().map(Cidr::parse).toList();
    }
}
