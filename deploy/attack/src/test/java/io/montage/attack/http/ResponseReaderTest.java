package io.montage.attack.http;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Pipelined responses on one stream are read one by one, whatever their framing. */
class ResponseReaderTest {

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void readsLengthFramedThenChunkedThenTheEnd() throws IOException {
        InputStream in = stream("HTTP/1.1 400 Bad Request\r\nContent-Type: application/problem+json\r\nContent-Length: 2\r\n\r\n{}"
                + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n");
        Reply first = ResponseReader.read(in, false, System.nanoTime());
        assertEquals(400, first.status());
        assertEquals("{}", first.text());
        assertEquals("application/problem+json", first.mediaType());
        Reply second = ResponseReader.read(in, false, System.nanoTime());
        assertEquals(200, second.status());
        assertEquals("abcde", second.text());
        assertNull(ResponseReader.read(in, false, System.nanoTime()));
    }

    @Test
    void aBodyWithoutLengthRunsToTheCloseAndHeadHasNone() throws IOException {
        assertEquals("rest", ResponseReader.read(stream("HTTP/1.0 200 OK\r\n\r\nrest"), false, System.nanoTime()).text());
        assertEquals("", ResponseReader.read(stream("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n"), true, System.nanoTime()).text());
        assertEquals(100, ResponseReader.read(stream("HTTP/1.1 100 Continue\r\n\r\n"), false, System.nanoTime()).status());
    }
}
