package io.montage.api.http;

import io.montage.api.ApiServer;
import io.montage.apikeys.Scope;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.zip.GZIPOutputStream;

import static io.montage.api.http.EdgeAssertions.assertRefusedAndClosed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Compressed request bodies are refused: a body costs what it weighs on the wire, never more. */
class ContentEncodingTest {

    private final ApiServer.Caller caller = ApiServer.newCaller(EnumSet.allOf(Scope.class));

    /** 40 KB of gzip that expands to 40 MiB of JSON, past the 32 MiB limit. */
    private static byte[] gzipBomb() throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write("{\"model\":\"nope\",\"input\":\"".getBytes(StandardCharsets.US_ASCII));
            byte[] block = "x".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 40; i++) {
                gzip.write(block);
            }
            gzip.write("\"}".getBytes(StandardCharsets.US_ASCII));
        }
        return compressed.toByteArray();
    }

    private byte[] request(String encoding, byte[] body) {
        String head = RawHttp.head("POST /v1/embeddings", caller.key(), "Content-Type: application/json",
                "Content-Encoding: " + encoding, "Content-Length: " + body.length);
        byte[] bytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[bytes.length + body.length];
        System.arraycopy(bytes, 0, request, 0, bytes.length);
        System.arraycopy(body, 0, request, bytes.length, body.length);
        return request;
    }

    @Test
    void aSmallGzipThatWouldExpandPastTheLimitIsRefused() throws IOException {
        byte[] bomb = gzipBomb();
        assertTrue(bomb.length < 100_000, "the bomb is small: " + bomb.length);
        try (RawHttp http = new RawHttp()) {
            http.send(request("gzip", bomb));
            assertRefusedAndClosed(http, 415, "unsupported_content_encoding");
        }
    }

    @Test
    void everyEncodingIsRefused() {
        for (String encoding : new String[]{"gzip", "x-gzip", "deflate", "br", "snappy", "zstd", "identity, gzip",
                "whatever"}) {
            try (RawHttp http = new RawHttp()) {
                http.send(request(encoding, "{}".getBytes(StandardCharsets.US_ASCII)));
                assertRefusedAndClosed(http, 415, "unsupported_content_encoding");
            }
        }
    }

    @Test
    void identityMeansUncompressedAndIsServed() {
        try (RawHttp http = new RawHttp()) {
            http.send(request("identity", "{\"model\":\"nope\",\"input\":\"x\"}".getBytes(StandardCharsets.US_ASCII)));
            assertEquals(404, http.read().status()); // model_not_found: the body was read as sent
        }
    }
}
