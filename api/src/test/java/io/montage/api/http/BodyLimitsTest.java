package io.montage.api.http;

import io.montage.api.ApiServer;
import io.montage.apikeys.Scope;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;

import static io.montage.api.ApiServer.send;
import static io.montage.api.http.EdgeAssertions.assertCleanProblem;
import static io.montage.api.http.EdgeAssertions.assertRefusedAndClosed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JSON bodies may be 32 MiB (enough for an image at the 20 MiB image limit, sent as base64), declared or chunked;
 * uploads stream past that up to 4 GiB. A declared length over the limit is refused before the body is sent.
 */
class BodyLimitsTest {

    private static final int MAX_JSON = 32 * 1024 * 1024;

    private final ApiServer.Caller caller = ApiServer.newCaller(EnumSet.allOf(Scope.class));

    private String head(String requestLine, String... headers) {
        return RawHttp.head(requestLine, caller.key(), headers);
    }

    /** An embeddings request holding one image at the 20 MiB image limit, as base64 (26.7 MiB of JSON). */
    private static String embeddingOfTheLargestImage(String model) {
        byte[] image = new byte[20 * 1024 * 1024];
        return "{\"model\":\"" + model + "\",\"input\":[{\"image\":\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(image) + "\"}]}";
    }

    private static String padded(int bytes) {
        String start = "{\"model\":\"nope\",\"input\":\"";
        return start + "x".repeat(bytes - start.length() - 2) + "\"}";
    }

    @Test
    void aJsonBodyWithTheLargestImageIsReadWhole() {
        // an unknown model is refused only after the body was read and bound
        assertCleanProblem(send("POST", "/v1/embeddings", caller.key(), embeddingOfTheLargestImage("nope")),
                404, "model_not_found");
        assertCleanProblem(send("POST", "/v1/embeddings", caller.key(), padded(MAX_JSON)), 404, "model_not_found");
    }

    @Test
    void aJsonBodyOverTheLimitIsRefused() {
        var problem = assertCleanProblem(send("POST", "/v1/embeddings", caller.key(), padded(MAX_JSON + 1)),
                413, "request_too_large");
        assertTrue(problem.get("detail").getStringValue().contains("32 MiB"), problem.toString());
    }

    @Test
    void aChunkedJsonBodyOverTheLimitIsRefusedToo() {
        byte[] chunk = new byte[1024 * 1024];
        Arrays.fill(chunk, (byte) ' ');
        byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] end = "\r\n".getBytes(StandardCharsets.US_ASCII);
        try (RawHttp http = new RawHttp()) {
            http.send(head("POST /v1/embeddings", "Content-Type: application/json", "Transfer-Encoding: chunked"));
            boolean accepted = true;
            for (int i = 0; i <= 32 && accepted; i++) { // 33 MiB of whitespace, one chunk per MiB
                accepted = http.trySend(size) && http.trySend(chunk) && http.trySend(end);
            }
            assertRefusedAndClosed(http, 413, "request_too_large");
        }
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeTheClientSendsTheBody() {
        for (String path : new String[]{"/v1/embeddings", "/v1/jobs", "/v1/collections/any/items"}) {
            try (RawHttp http = new RawHttp()) {
                http.send(head("POST " + path, "Content-Type: application/json",
                        "Content-Length: " + (MAX_JSON + 1), "Expect: 100-continue"));
                RawHttp.Response response = http.read();
                assertFalse(response.status() == 100, path + ": the server asked for a body it would refuse");
                assertCleanProblem(response, 413, "request_too_large");
                assertTrue(http.closedByServer(), path);
            }
        }
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedAtOnceWhenNoBodyFollows() {
        try (RawHttp http = new RawHttp()) {
            long sent = System.nanoTime();
            http.send(head("POST /v1/embeddings", "Content-Type: application/json",
                    "Content-Length: " + (MAX_JSON + 1)));
            assertRefusedAndClosed(http, 413, "request_too_large");
            assertTrue(System.nanoTime() - sent < 5_000_000_000L, "refused only after waiting for the body");
        }
    }

    @Test
    void anUploadOverTheRequestLimitIsRefusedBeforeTheClientSendsIt() {
        try (RawHttp http = new RawHttp()) {
            http.send(head("POST /v1/jobs?type=echo", "Content-Type: application/x-ndjson",
                    "Content-Length: " + (5L << 30), "Expect: 100-continue"));
            var problem = assertRefusedAndClosed(http, 413, "request_too_large");
            assertTrue(problem.get("detail").getStringValue().contains("4 GiB"), problem.toString());
        }
    }

    @Test
    void aClientThatWaitsForContinueGetsItAndIsServed() {
        String body = "{\"type\":\"echo\",\"items\":[{\"input\":1}]}";
        try (RawHttp http = new RawHttp()) {
            http.send(head("POST /v1/jobs", "Content-Type: application/json", "Content-Length: " + body.length(),
                    "Expect: 100-continue"));
            assertEquals(100, http.read().status());
            http.send(body);
            assertEquals(201, http.read().status());
        }
    }

    @Test
    void anUploadLargerThanTheJsonLimitStreams() {
        // one line over the JSON limit (and over the 32 MiB line limit): the job is created, the line is an item error
        String line = "{\"input\":\"" + "x".repeat(MAX_JSON) + "\"}\n";
        try (RawHttp http = new RawHttp()) {
            byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
            http.send(head("POST /v1/jobs?type=echo", "Content-Type: application/x-ndjson",
                    "Content-Length: " + bytes.length));
            http.send(bytes);
            RawHttp.Response created = http.read();
            assertEquals(201, created.status(), created.body());
            assertTrue(created.body().contains("\"total\":1"), created.body());
        }
    }
}
