package io.montage.api.http;

import io.montage.api.ApiServer;
import io.montage.apikeys.Scope;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;

import static io.montage.api.http.EdgeAssertions.assertCleanProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request answered before its body is all here (an upload refused before it is read) ends its connection after
 * the answer: the rest of the body is never read, and a connection left waiting for it would never read the next
 * request. An upload read to its end keeps the connection.
 */
class AnswerBeforeBodyTest {

    private final ApiServer.Caller caller = ApiServer.newCaller(EnumSet.allOf(Scope.class));

    /** The head of an upload of 100,000 bytes, and its first line. */
    private static String uploadStart(String target, String key) {
        return RawHttp.head("POST " + target, key, "Content-Type: application/x-ndjson", "Content-Length: 100000")
                + "{\"input\":1}\n";
    }

    private static void assertAnsweredAndClosed(RawHttp http, int status, String code) {
        RawHttp.Response response = http.read();
        assertCleanProblem(response, status, code);
        assertEquals("close", response.headers().get("connection"), response.headers().toString());
        assertTrue(http.closedByServer(), "the connection stays open, waiting for a body it will never read");
    }

    @Test
    void anUploadRefusedBeforeItIsReadEndsItsConnection() {
        try (RawHttp http = new RawHttp()) {
            http.send(uploadStart("/v1/jobs?type=nope", caller.key()));
            assertAnsweredAndClosed(http, 422, "unknown_job_type");
        }
    }

    @Test
    void anUploadWithoutAKeyEndsItsConnection() {
        try (RawHttp http = new RawHttp()) {
            http.send(uploadStart("/v1/jobs?type=echo", null));
            assertAnsweredAndClosed(http, 401, "missing_api_key");
        }
    }

    @Test
    void anUploadReadToItsEndKeepsTheConnection() {
        String line = "{\"input\":1}\n";
        try (RawHttp http = new RawHttp()) {
            http.send(RawHttp.head("POST /v1/jobs?type=echo", caller.key(), "Content-Type: application/x-ndjson",
                    "Content-Length: " + line.length()) + line);
            assertEquals(201, http.read().status());
            http.send(RawHttp.head("GET /v1/jobs?limit=1", caller.key()));
            assertEquals(200, http.read().status());
        }
    }

    @Test
    void pipelinedRequestsWithoutBodiesAreAllAnsweredOnAnOpenConnection() {
        try (RawHttp http = new RawHttp()) {
            for (int round = 0; round < 20; round++) {
                http.send(RawHttp.head("GET /health", null) + RawHttp.head("GET /v1/jobs?limit=1", caller.key()));
                RawHttp.Response health = http.read();
                assertEquals(200, health.status());
                assertNull(health.headers().get("connection"), "a bodyless request ended its connection");
                assertEquals(200, http.read().status());
            }
        }
    }
}
