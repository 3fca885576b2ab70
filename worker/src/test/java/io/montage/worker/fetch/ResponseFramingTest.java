package io.montage.worker.fetch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.montage.worker.fetch.TestFetchers.LOOPBACK;
import static io.montage.worker.fetch.TestFetchers.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the fetcher reads responses, down to the bytes, including those no well-behaved server sends. */
class ResponseFramingTest {

    private final ImageFetcher fetcher = new ImageFetcher(config(LOOPBACK));

    private String fetched(String response) throws IOException {
        try (CannedServer server = CannedServer.answering(response)) {
            return new String(fetcher.fetch(server.url()), StandardCharsets.ISO_8859_1);
        }
    }

    private String failure(String response) throws IOException {
        try (CannedServer server = CannedServer.answering(response)) {
            ImageFetchException e = assertThrows(ImageFetchException.class, () -> fetcher.fetch(server.url()));
            assertEquals(ImageFetchException.FAILED, e.code(), e.getMessage());
            return e.getMessage();
        }
    }

    @Test
    void aBodyIsDelimitedByContentLengthChunkingOrTheEndOfTheConnection() throws IOException {
        assertEquals("abc", fetched("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"));
        assertEquals("abcde", fetched("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3;name=value\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: ignored\r\n\r\n"));
        assertEquals("abc", fetched("HTTP/1.0 200 OK\r\n\r\nabc"));
        assertEquals("", fetched("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n"));
    }

    @Test
    void contentLengthIsReadNoFurtherThanItSays() throws IOException {
        assertEquals("abc", fetched("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcdef"));
    }

    @Test
    void chunkingOverridesContentLength() throws IOException {
        assertEquals("abc", fetched("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\n0\r\n\r\n"));
    }

    @Test
    void bareLineFeedsAreAccepted() throws IOException {
        assertEquals("abc", fetched("HTTP/1.1 200 OK\nContent-Length: 3\n\nabc"));
    }

    @Test
    void interimResponsesAreSkipped() throws IOException {
        assertEquals("abc", fetched("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"));
    }

    /**
     * OkHttp reads the line after a chunk's data to its end and ignores it (see ImageFetcher), so a chunk longer
     * than its size says is cut to that size; the hand-written reader before it refused the response.
     */
    @Test
    void aChunkLongerThanItsSizeIsCutToItsSize() throws IOException {
        assertEquals("abc", fetched("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "HTTP/1.1 200 OK\\r\\nContent-Length: 10\\r\\n\\r\\nabc| closed after 3 of the 10 bytes",
            "HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n3\\r\\nabc\\r\\n| closed before the response was complete",
            "HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n5\\r\\nabc| closed inside a chunk",
            "HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\n| malformed chunk size",
            "HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n-1\\r\\n| malformed chunk size",
            "HTTP/1.1 200 OK\\r\\nTransfer-Encoding: gzip, chunked\\r\\n\\r\\n| Transfer-Encoding gzip",
            "HTTP/1.1 200 OK\\r\\nContent-Length: 3\\r\\nContent-Length: 4\\r\\n\\r\\nabcd| two different Content-Lengths",
            "HTTP/1.1 200 OK\\r\\nContent-Length: -3\\r\\n\\r\\n| malformed Content-Length",
            "HTTP/1.1 200 OK\\r\\nno colon here\\r\\n\\r\\n| malformed header line",
            "HTTP/1.1 200 OK\\r\\n folded: header\\r\\n\\r\\n| malformed header line",
            "SSH-2.0-OpenSSH_9.6\\r\\n| does not start with an HTTP/1.x status line",
            "HTTP/2 200\\r\\n\\r\\n| does not start with an HTTP/1.x status line",
            "''| closed before the response was complete",
    })
    void aBrokenResponseFailsTheFetchAndSaysHow(String escapedResponse, String expected) throws IOException {
        String message = failure(escapedResponse.translateEscapes());

        assertTrue(message.contains(expected.strip()), message);
    }

    @Test
    void aHeadOver64KibibytesFailsTheFetch() throws IOException {
        String message = failure("HTTP/1.1 200 OK\r\nX-Padding: " + "a".repeat(70_000) + "\r\n\r\n");

        assertTrue(message.contains("line longer than"), message);
    }

    /** OkHttp would hold a chunk's extensions in memory however long; the socket stops reading near max-bytes. */
    @Test
    void aChunkLineLongerThanAnyImageFailsTheFetch() throws IOException {
        ImageFetcher small = new ImageFetcher(config(Duration.ofSeconds(20), 1000, LOOPBACK));
        String endlessExtensions = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;" + "x".repeat(3 << 20);

        try (CannedServer server = CannedServer.answering(endlessExtensions)) {
            ImageFetchException e = assertThrows(ImageFetchException.class, () -> small.fetch(server.url()));
            assertEquals(ImageFetchException.FAILED, e.code());
            assertTrue(e.getMessage().contains("too long for its image"), e.getMessage());
        }
    }

    @Test
    void aChunkedBodyIsCappedAfterItsChunksAreUndone() throws IOException {
        ImageFetcher small = new ImageFetcher(config(Duration.ofSeconds(20), 3, LOOPBACK));
        String fourBytesInTwoChunks = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n2\r\ncd\r\n0\r\n\r\n";
        String threeBytesInTwoChunks = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n1\r\nc\r\n0\r\n\r\n";

        try (CannedServer server = CannedServer.answering(fourBytesInTwoChunks)) {
            ImageFetchException e = assertThrows(ImageFetchException.class, () -> small.fetch(server.url()));
            assertEquals(ImageFetchException.TOO_LARGE, e.code());
        }
        try (CannedServer server = CannedServer.answering(threeBytesInTwoChunks)) {
            assertEquals("abc", new String(small.fetch(server.url()), StandardCharsets.ISO_8859_1));
        }
    }
}
