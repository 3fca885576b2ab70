package io.montage.worker.fetch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import static io.montage.worker.fetch.TestFetchers.LOOPBACK;
import static io.montage.worker.fetch.TestFetchers.config;
import static io.montage.worker.fetch.TestFetchers.fetcher;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fetching over real sockets from a server on 127.0.0.1, which is forbidden unless the test allows loopback. */
class ImageFetcherTest {

    private static final byte[] IMAGE = randomBytes(50_000);

    private final LoopbackServer server = LoopbackServer.http().serveBytes("/image", IMAGE);
    private final ImageFetcher allowingLoopback = new ImageFetcher(config(LOOPBACK));

    @AfterEach
    void stopServer() {
        server.close();
    }

    // ---- server-side request forgery

    @Test
    void theLoopbackServerIsForbiddenByDefault() {
        ImageFetcher fetcher = new ImageFetcher(config());
        int port = server.port();

        for (String url : List.of(server.url("/image"), "http://localhost:" + port + "/image",
                "http://localhost.:" + port + "/image", "http://[::1]:" + port + "/image",
                "http://[::ffff:127.0.0.1]:" + port + "/image")) {
            ImageFetchException e = assertThrows(ImageFetchException.class, () -> fetcher.fetch(url), url);
            assertEquals(ImageFetchException.FORBIDDEN, e.code(), url);
            assertTrue(e.getMessage().contains("loopback"), e.getMessage());
        }
        assertEquals(0, server.requests(), "nothing reached the server");
    }

    @ParameterizedTest
    @CsvSource({
            "file:///etc/passwd, invalid_image_url",
            "ftp://127.0.0.1/a.jpg, invalid_image_url",
            "gopher://127.0.0.1:6379/_INFO, invalid_image_url",
            "http://user:pw@127.0.0.1/a.jpg, invalid_image_url",
            "http://0x7f000001/, invalid_image_url",
            "http://2130706433/, invalid_image_url",
            "http://127.1/, invalid_image_url",
            "http://0177.0.0.1/, invalid_image_url",
            "http://[::1]/, image_url_forbidden",
            "http://0.0.0.0/, image_url_forbidden",
            "http://[::]/, image_url_forbidden",
            "http://10.0.0.1/, image_url_forbidden",
            "http://192.168.0.1/, image_url_forbidden",
            "http://100.64.0.1/, image_url_forbidden",
            "http://169.254.169.254/latest/meta-data/, image_url_forbidden",
            "http://[fd00:ec2::254]/latest/meta-data/, image_url_forbidden",
            "http://[fe80::1]/, image_url_forbidden",
            "http://[64:ff9b::a9fe:a9fe]/, image_url_forbidden",
            "http://255.255.255.255/, image_url_forbidden",
            "http://198.51.100.1/, image_url_forbidden",
    })
    void internalTargetsAreRefusedBeforeAnyLookupOrConnection(String url, String code) {
        ImageFetcher fetcher = fetcher(config(), TestFetchers.NO_DNS);

        ImageFetchException e = assertThrows(ImageFetchException.class, () -> fetcher.fetch(url));

        assertEquals(code, e.code(), e.getMessage());
        assertEquals(422, e.status());
    }

    @Test
    void oneInternalAddressAmongAllowedOnesRefusesTheHost() {
        ImageFetcher fetcher = fetcher(config(LOOPBACK), TestFetchers.names(
                Map.of("mixed.test", List.of("127.0.0.1", "10.0.0.1"))));

        ImageFetchException e = assertThrows(ImageFetchException.class,
                () -> fetcher.fetch(server.url("mixed.test", "/image")));

        assertEquals(ImageFetchException.FORBIDDEN, e.code());
        assertEquals(0, server.requests());
    }

    /** images.test exists for no DNS server: the fetch can only have gone to the address the resolver gave. */
    @Test
    void theConnectionGoesToTheCheckedAddressWithTheNameInTheHostHeader() {
        TestFetchers.CountingResolver names = TestFetchers.names(Map.of("images.test", List.of("127.0.0.1")));
        ImageFetcher fetcher = fetcher(config(LOOPBACK), names);

        assertArrayEquals(IMAGE, fetcher.fetch(server.url("images.test", "/image")));

        assertEquals(1, names.lookups(), "one lookup, checked and connected to");
        assertEquals("images.test:" + server.port(), server.lastRequestHeaders().getFirst("Host"));
        assertEquals(TestFetchers.USER_AGENT, server.lastRequestHeaders().getFirst("User-Agent"));
        assertEquals("identity", server.lastRequestHeaders().getFirst("Accept-Encoding"));
    }

    @Test
    void theNextAddressIsTriedWhenOneRefuses() {
        // the server listens on 127.0.0.1 only, so 127.0.0.2 refuses
        ImageFetcher fetcher = fetcher(config("127.0.0.0/8"), TestFetchers.names(
                Map.of("images.test", List.of("127.0.0.2", "127.0.0.1"))));

        assertArrayEquals(IMAGE, fetcher.fetch(server.url("images.test", "/image")));
    }

    // ---- fetching

    @Test
    void anAllowedServerIsFetchedFrom() {
        assertArrayEquals(IMAGE, allowingLoopback.fetch(server.url("/image")));
        assertArrayEquals(IMAGE, allowingLoopback.fetch("http://localhost:" + server.port() + "/image"));
    }

    @Test
    void aChunkedBodyIsFetched() {
        server.serveChunked("/chunked", IMAGE);

        assertArrayEquals(IMAGE, allowingLoopback.fetch(server.url("/chunked")));
    }

    @Test
    void anErrorStatusFailsTheFetchAndSaysWhich() {
        server.serve("/missing", exchange -> exchange.sendResponseHeaders(404, -1));

        ImageFetchException e = assertThrows(ImageFetchException.class,
                () -> allowingLoopback.fetch(server.url("/missing")));

        assertEquals(ImageFetchException.FAILED, e.code());
        assertEquals(422, e.status());
        assertTrue(e.getMessage().contains("answered 404"), e.getMessage());
    }

    @Test
    void anUnknownHostFailsTheFetch() {
        ImageFetcher fetcher = fetcher(config(), TestFetchers.names(Map.of()));

        ImageFetchException e = assertThrows(ImageFetchException.class,
                () -> fetcher.fetch("https://nowhere.test/a.jpg"));

        assertEquals(ImageFetchException.FAILED, e.code());
        assertTrue(e.getMessage().contains("cannot be resolved"), e.getMessage());
    }

    @Test
    void aRefusedConnectionFailsTheFetch() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        ImageFetchException e = assertThrows(ImageFetchException.class,
                () -> allowingLoopback.fetch("http://127.0.0.1:" + closedPort + "/image"));

        assertEquals(ImageFetchException.FAILED, e.code());
        assertTrue(e.getMessage().contains("refused"), e.getMessage());
    }

    // ---- size

    @Test
    void anImageOfExactlyMaxBytesIsFetchedEitherWay() {
        server.serveChunked("/chunked", IMAGE);
        ImageFetcher fetcher = new ImageFetcher(config(Duration.ofSeconds(20), IMAGE.length, LOOPBACK));

        assertArrayEquals(IMAGE, fetcher.fetch(server.url("/image")));
        assertArrayEquals(IMAGE, fetcher.fetch(server.url("/chunked")));
    }

    @Test
    void aContentLengthOverMaxBytesIsRefusedBeforeTheBodyArrives() {
        // announces a gigabyte and never sends it: only the announcement can end this fetch quickly
        server.serve("/huge", exchange -> {
            exchange.sendResponseHeaders(200, 1L << 30);
            exchange.getResponseBody().flush();
            sleep(Duration.ofSeconds(10));
        });

        ImageFetchException e = assertTimeoutPreemptively(Duration.ofSeconds(3),
                () -> assertThrows(ImageFetchException.class, () -> allowingLoopback.fetch(server.url("/huge"))));

        assertEquals(ImageFetchException.TOO_LARGE, e.code());
        assertEquals(413, e.status());
        assertTrue(e.getMessage().contains((1L << 30) + " bytes"), e.getMessage());
    }

    @Test
    void aChunkedBodyOverMaxBytesIsCutOffWhileStreaming() {
        server.serve("/endless", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            OutputStream body = exchange.getResponseBody();
            byte[] block = new byte[64 * 1024];
            for (int i = 0; i < 16 * 1024; i++) { // a gigabyte, if nobody stopped reading
                body.write(block);
            }
        });
        ImageFetcher fetcher = new ImageFetcher(config(Duration.ofSeconds(20), 1_000_000, LOOPBACK));

        ImageFetchException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(ImageFetchException.class, () -> fetcher.fetch(server.url("/endless"))));

        assertEquals(ImageFetchException.TOO_LARGE, e.code());
        assertTrue(e.getMessage().contains("more than 1000000 bytes"), e.getMessage());
    }

    // ---- time

    @Test
    void aServerThatDoesNotAnswerFailsTheFetchAtTheTotalTimeout() {
        server.serve("/silent", exchange -> sleep(Duration.ofSeconds(10)));

        assertTimesOut(() -> new ImageFetcher(config(Duration.ofMillis(500), 20 << 20, LOOPBACK))
                .fetch(server.url("/silent")));
    }

    /** Each byte comes well within any read timeout; only a deadline for the whole fetch stops it. */
    @Test
    void aServerThatDripsBytesFailsTheFetchAtTheTotalTimeout() {
        server.serve("/drip", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            OutputStream body = exchange.getResponseBody();
            for (int i = 0; i < 200; i++) {
                body.write(i);
                body.flush();
                sleep(Duration.ofMillis(50));
            }
        });

        assertTimesOut(() -> new ImageFetcher(config(Duration.ofMillis(500), 20 << 20, LOOPBACK))
                .fetch(server.url("/drip")));
    }

    private static void assertTimesOut(Supplier<byte[]> fetch) {
        long start = System.nanoTime();
        ImageFetchException e = assertThrows(ImageFetchException.class, fetch::get);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(ImageFetchException.FAILED, e.code());
        assertTrue(e.getMessage().contains("took longer than 500 ms"), e.getMessage());
        assertTrue(took.compareTo(Duration.ofMillis(450)) > 0 && took.compareTo(Duration.ofMillis(2500)) < 0,
                "took " + took);
    }

    // ---- redirects

    @Test
    void redirectsAreFollowedUpToMaxRedirects() {
        server.redirect("/hop1", "/hop2").redirect("/hop2", server.url("/hop3")).redirect("/hop3", "image");

        assertArrayEquals(IMAGE, allowingLoopback.fetch(server.url("/hop1")));
    }

    @Test
    void oneRedirectMoreThanMaxRedirectsFailsTheFetch() {
        server.redirect("/loop", "/loop");

        ImageFetchException e = assertThrows(ImageFetchException.class,
                () -> allowingLoopback.fetch(server.url("/loop")));

        assertEquals(ImageFetchException.FAILED, e.code());
        assertTrue(e.getMessage().contains("redirects more than 3 times"), e.getMessage());
        assertEquals(4, server.requests("/loop"), "the first request and 3 redirects");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/",
            "http://[fd00:ec2::254]/latest/meta-data/", "http://[::ffff:192.168.0.1]/"})
    void aRedirectToAForbiddenAddressIsRefused(String location) {
        server.redirect("/away", location);

        ImageFetchException e = assertThrows(ImageFetchException.class,
                () -> fetcher(config(LOOPBACK), TestFetchers.NO_DNS).fetch(server.url("/away")));

        assertEquals(ImageFetchException.FORBIDDEN, e.code(), e.getMessage());
    }

    @Test
    void aRedirectToAHostResolvingToAForbiddenAddressIsRefused() {
        server.redirect("/away", "http://rebound.test/latest/meta-data/");
        ImageFetcher fetcher = fetcher(config(LOOPBACK), TestFetchers.names(
                Map.of("rebound.test", List.of("169.254.169.254"))));

        ImageFetchException e = assertThrows(ImageFetchException.class, () -> fetcher.fetch(server.url("/away")));

        assertEquals(ImageFetchException.FORBIDDEN, e.code());
        assertTrue(e.getMessage().contains("rebound.test") && e.getMessage().contains("cloud metadata"),
                e.getMessage());
    }

    @Test
    void aRedirectToAnotherSchemeIsRefused() {
        server.redirect("/away", "file:///etc/passwd");

        ImageFetchException e = assertThrows(ImageFetchException.class,
                () -> allowingLoopback.fetch(server.url("/away")));

        assertEquals(ImageFetchException.INVALID_URL, e.code());
    }

    @Test
    void aRedirectWithoutLocationFailsTheFetch() {
        server.serve("/nowhere", exchange -> exchange.sendResponseHeaders(302, -1));

        ImageFetchException e = assertThrows(ImageFetchException.class,
                () -> allowingLoopback.fetch(server.url("/nowhere")));

        assertEquals(ImageFetchException.FAILED, e.code());
        assertTrue(e.getMessage().contains("without a Location"), e.getMessage());
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(42).nextBytes(bytes);
        return bytes;
    }
}
