package io.montage.api.http;

import org.junit.jupiter.api.Test;

import static io.montage.api.http.EdgeAssertions.assertRefusedAndClosed;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * RFC 9112 3.2: an HTTP/1.1 request without a Host, any request with two, or with a Host that is no host and port,
 * is 400 {@code invalid_host}; HTTP/1.0 may omit it.
 */
class HostHeaderTest {

    /** The status of GET /health with these header lines (each ending in CRLF). */
    private static RawHttp.Response health(String version, String headers) {
        try (RawHttp http = new RawHttp()) {
            return http.send("GET /health " + version + "\r\n" + headers + "\r\n").read();
        }
    }

    private static void assertInvalidHost(String version, String headers) {
        try (RawHttp http = new RawHttp()) {
            http.send("GET /health " + version + "\r\n" + headers + "\r\n");
            assertRefusedAndClosed(http, 400, "invalid_host");
        }
    }

    @Test
    void anHttp11RequestWithoutHostIsRefused() {
        assertInvalidHost("HTTP/1.1", "");
    }

    @Test
    void twoHostHeadersAreRefusedInAnyVersion() {
        assertInvalidHost("HTTP/1.1", "Host: api\r\nHost: other.example\r\n");
        assertInvalidHost("HTTP/1.0", "Host: api\r\nHost: api\r\n");
    }

    @Test
    void aHostThatIsNoHostAndPortIsRefused() {
        assertInvalidHost("HTTP/1.1", "Host: api.example/evil\r\n");
        assertInvalidHost("HTTP/1.1", "Host: user@api.example\r\n");
        assertInvalidHost("HTTP/1.1", "Host: api example\r\n");
    }

    @Test
    void namesAddressesAndPortsAreTaken() {
        for (String host : new String[]{"api", "api.example.com:8443", "127.0.0.1:8080", "[::1]:8080", "[::1]"}) {
            assertEquals(200, health("HTTP/1.1", "Host: " + host + "\r\n").status(), host);
        }
    }

    @Test
    void anHttp10RequestMayOmitHost() {
        assertEquals(200, health("HTTP/1.0", "").status());
    }
}
