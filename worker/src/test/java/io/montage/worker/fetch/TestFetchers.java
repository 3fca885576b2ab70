package io.montage.worker.fetch;

import javax.net.ssl.SSLSocketFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Fetchers as tests need them: loopback allowed or not, and made-up host names that never reach DNS. */
final class TestFetchers {

    static final String LOOPBACK = "127.0.0.1/32";
    static final String USER_AGENT = "Montage-ImageFetcher/1";

    /** Fails the test on any lookup: for URLs that must be refused before their host is resolved. */
    static final HostResolver NO_DNS = host -> {
        throw new AssertionError("the test looked up " + host);
    };

    private TestFetchers() {
    }

    static FetchConfig config(Duration totalTimeout, int maxBytes, String... allowedCidrs) {
        return new FetchConfig(Duration.ofSeconds(5), totalTimeout, maxBytes, 3, List.of(allowedCidrs), USER_AGENT);
    }

    static FetchConfig config(String... allowedCidrs) {
        return config(Duration.ofSeconds(20), 20 << 20, allowedCidrs);
    }

    static ImageFetcher fetcher(FetchConfig config, HostResolver resolver) {
        return new ImageFetcher(config, resolver, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    /** A resolver that knows only these names, each to its literal addresses. */
    static CountingResolver names(Map<String, List<String>> addresses) {
        return new CountingResolver(addresses);
    }

    static final class CountingResolver implements HostResolver {

        private final Map<String, List<String>> addresses;
        private final AtomicInteger lookups = new AtomicInteger();

        private CountingResolver(Map<String, List<String>> addresses) {
            this.addresses = addresses;
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            lookups.incrementAndGet();
            List<String> known = addresses.get(host);
            if (known == null) {
                throw new UnknownHostException(host);
            }
            return known.stream().map(literal -> IpLiteral.parse(literal).orElseThrow()).toArray(InetAddress[]::new);
        }

        int lookups() {
            return lookups.get();
        }
    }
}
