package io.montage.worker.fetch;

import com.sun.net.httpserver.HttpsExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSocketFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static io.montage.worker.fetch.TestFetchers.LOOPBACK;
import static io.montage.worker.fetch.TestFetchers.config;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * https on a connection pinned to the checked address: the TLS handshake must still be for the URL's host name,
 * with SNI and a certificate that matches it. The server, on 127.0.0.1, holds a certificate for images.test only.
 */
class HttpsFetchTest {

    private static final byte[] IMAGE = "not really an image".getBytes(StandardCharsets.US_ASCII);
    private static final HostResolver NAMES = TestFetchers.names(Map.of(
            "images.test", List.of("127.0.0.1"),
            "other.test", List.of("127.0.0.1")));
    private static final AtomicReference<List<SNIServerName>> requestedServerNames = new AtomicReference<>();

    private static LoopbackServer server;
    private static ImageFetcher fetcher;

    @BeforeAll
    static void startServer(@TempDir Path keys) throws Exception {
        TestTls tls = TestTls.forHost("images.test", keys);
        server = LoopbackServer.https(tls.server()).serve("/image", exchange -> {
            requestedServerNames.set(((ExtendedSSLSession) ((HttpsExchange) exchange).getSSLSession())
                    .getRequestedServerNames());
            exchange.sendResponseHeaders(200, IMAGE.length);
            exchange.getResponseBody().write(IMAGE);
        });
        fetcher = new ImageFetcher(config(LOOPBACK), NAMES, tls.trustingClient());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void theHandshakeIsForTheUrlsHostNotTheAddressConnectedTo() {
        assertArrayEquals(IMAGE, fetcher.fetch(server.url("images.test", "/image")));

        assertEquals(List.of(new SNIHostName("images.test")), requestedServerNames.get());
        assertEquals("images.test:" + server.port(), server.lastRequestHeaders().getFirst("Host"));
    }

    @Test
    void aCertificateForAnotherHostFailsTheFetch() {
        assertTlsFails(fetcher, server.url("other.test", "/image"));
    }

    @Test
    void anIpLiteralIsVerifiedAgainstTheCertificateToo() {
        assertTlsFails(fetcher, server.url("/image"));
    }

    @Test
    void anUntrustedCertificateFailsTheFetch() {
        ImageFetcher trustingTheUsualAuthorities = new ImageFetcher(config(LOOPBACK), NAMES,
                (SSLSocketFactory) SSLSocketFactory.getDefault());

        assertTlsFails(trustingTheUsualAuthorities, server.url("images.test", "/image"));
    }

    @Test
    void aRedirectFromHttpsToPlainHttpIsRefused() {
        try (LoopbackServer plain = LoopbackServer.http().serveBytes("/image", IMAGE)) {
            server.redirect("/downgrade", plain.url("images.test", "/image"));

            ImageFetchException e = assertThrows(ImageFetchException.class,
                    () -> fetcher.fetch(server.url("images.test", "/downgrade")));

            assertEquals(ImageFetchException.INVALID_URL, e.code());
            assertTrue(e.getMessage().contains("https to plain http"), e.getMessage());
            assertEquals(0, plain.requests());
        }
    }

    private static void assertTlsFails(ImageFetcher fetcher, String url) {
        int before = server.requests();

        ImageFetchException e = assertThrows(ImageFetchException.class, () -> fetcher.fetch(url));

        assertEquals(ImageFetchException.FAILED, e.code());
        assertTrue(e.getMessage().contains("TLS connection failed"), e.getMessage());
        assertEquals(before, server.requests(), "no request was sent");
    }
}
