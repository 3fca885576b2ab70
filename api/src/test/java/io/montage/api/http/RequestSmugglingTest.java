package io.montage.api.http;

import io.montage.api.ApiServer;
import io.montage.apikeys.Scope;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;

import static io.montage.api.http.EdgeAssertions.assertRefusedAndClosed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request whose end two parsers could place differently (a proxy in front, the api behind) is refused and ends
 * its connection, so whatever is hidden after it is never run.
 */
class RequestSmugglingTest {

    private final ApiServer.Caller caller = ApiServer.newCaller(EnumSet.allOf(Scope.class));

    private String head(String requestLine, String... headers) {
        return RawHttp.head(requestLine, caller.key(), headers);
    }

    /** A complete job submission: if it is ever processed, the caller has a job. */
    private String jobSubmission() {
        String body = "{\"type\":\"echo\",\"items\":[{\"input\":1}]}";
        return head("POST /v1/jobs", "Content-Type: application/json", "Content-Length: " + body.length()) + body;
    }

    private int jobsOfTheCaller() {
        return ApiServer.send("GET", "/v1/jobs", caller.key(), null).json().get("data").size();
    }

    /** The request is refused, the connection ends, and the job submission sent after it never runs. */
    private void assertRefusedAndNothingHiddenRuns(String request, int status, String code) {
        try (RawHttp http = new RawHttp()) {
            http.send(request + jobSubmission());
            assertRefusedAndClosed(http, status, code);
        }
        assertEquals(0, jobsOfTheCaller());
    }

    @Test
    void contentLengthWithChunkedIsRefusedAndTheRequestHiddenInTheBodyNeverRuns() {
        // read by its Content-Length it is one request; read as chunked it ends at "0" and a job submission follows
        String body = "0\r\n\r\n";
        int lengthWithTheHiddenRequest = body.length() + jobSubmission().length();
        assertRefusedAndNothingHiddenRuns(head("POST /v1/jobs", "Content-Type: application/json",
                "Content-Length: " + lengthWithTheHiddenRequest, "Transfer-Encoding: chunked") + body,
                400, "ambiguous_length");
        assertRefusedAndNothingHiddenRuns(head("POST /v1/jobs", "Transfer-Encoding: chunked",
                "Content-Type: application/json", "Content-Length: " + lengthWithTheHiddenRequest) + body,
                400, "ambiguous_length");
    }

    @Test
    void transferCodingsOtherThanChunkedAreRefused() {
        for (String coding : new String[]{"gzip, chunked", "chunked, chunked", "identity", "xchunked"}) {
            assertRefusedAndNothingHiddenRuns(head("POST /v1/jobs", "Content-Type: application/json",
                    "Transfer-Encoding: " + coding) + "0\r\n\r\n", 400, "unsupported_transfer_encoding");
        }
    }

    @Test
    void conflictingContentLengthsAreRefused() {
        assertRefusedAndNothingHiddenRuns(head("POST /v1/jobs", "Content-Type: application/json",
                "Content-Length: 2", "Content-Length: 40") + "{}", 400, "malformed_request");
    }

    @Test
    void aBrokenChunkEndsTheConnection() {
        assertRefusedAndNothingHiddenRuns(head("POST /v1/jobs", "Content-Type: application/json",
                "Transfer-Encoding: chunked") + "zz\r\n{}\r\n0\r\n\r\n", 400, "malformed_request");
    }

    @Test
    void wellFramedPipelinedRequestsAreAnsweredInOrder() {
        try (RawHttp http = new RawHttp()) {
            http.send(head("GET /health") + jobSubmission() + head("GET /v1/jobs?limit=1"));
            assertEquals(200, http.read().status());
            RawHttp.Response created = http.read();
            assertEquals(201, created.status());
            assertTrue(created.body().contains("\"object\":\"job\""), created.body());
            RawHttp.Response list = http.read();
            assertEquals(200, list.status());
            assertTrue(list.body().contains("\"object\":\"list\""), list.body());
        }
    }

    @Test
    void aRefusalComesAfterTheAnswersToEarlierPipelinedRequests() {
        try (RawHttp http = new RawHttp()) {
            http.send(jobSubmission() + head("POST /v1/jobs", "Content-Type: application/json",
                    "Content-Length: 5", "Transfer-Encoding: chunked") + "0\r\n\r\n" + jobSubmission());
            assertEquals(201, http.read().status());
            assertRefusedAndClosed(http, 400, "ambiguous_length");
        }
        assertEquals(1, jobsOfTheCaller());
    }
}
