package io.montage.api.http;

import io.montage.api.ApiServer;
import io.montage.apikeys.Scope;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;

import static io.montage.api.ApiServer.send;
import static io.montage.api.http.EdgeAssertions.assertCleanProblem;
import static io.montage.api.http.EdgeAssertions.assertRefusedAndClosed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the framework rejects by itself is told in the API's words, with a stable code and what to fix. */
class FrameworkErrorsTest {

    private final ApiServer.Caller caller = ApiServer.newCaller(EnumSet.allOf(Scope.class));

    private String detail(ApiServer.Response response, int status, String code) {
        return assertCleanProblem(response, status, code).get("detail").getStringValue();
    }

    @Test
    void aBodyThatIsNotJson() {
        String detail = detail(send("POST", "/v1/jobs", caller.key(), "{\"type\":\"echo\",\"items\":["),
                400, "invalid_json");
        assertTrue(detail.contains("line 1, column"), detail);
        detail(send("POST", "/v1/embeddings", caller.key(), "not json"), 400, "invalid_json");
    }

    @Test
    void aFieldOfTheWrongJsonType() {
        detail(send("POST", "/v1/jobs", caller.key(), "{\"type\":\"echo\",\"items\":\"x\"}"), 400, "invalid_body");
        detail(send("POST", "/v1/embeddings", caller.key(), "{\"model\":[1,2]}"), 400, "invalid_body");
        detail(send("POST", "/v1/collections", caller.key(), "[]"), 400, "invalid_body");
    }

    @Test
    void aMissingBody() {
        detail(send("POST", "/v1/embeddings", caller.key(), ""), 400, "missing_body");
        detail(send("POST", "/v1/jobs", caller.key(), ""), 400, "missing_body");
    }

    @Test
    void pathAndQueryParametersOfTheWrongType() {
        assertEquals("id must be a UUID, got 'not-a-uuid'",
                detail(send("GET", "/v1/jobs/not-a-uuid", caller.key(), null), 400, "invalid_parameter"));
        assertEquals("limit must be an integer, got 'abc'",
                detail(send("GET", "/v1/jobs?limit=abc", caller.key(), null), 400, "invalid_parameter"));
        assertEquals("after must be a UUID, got 'zzz'",
                detail(send("GET", "/v1/jobs?after=zzz", caller.key(), null), 400, "invalid_parameter"));
        String echoed = detail(send("GET", "/v1/jobs/" + "a".repeat(1000), caller.key(), null),
                400, "invalid_parameter");
        assertTrue(echoed.length() < 150, "a long value is echoed in full: " + echoed.length());
    }

    @Test
    void unknownRoutesAndMethods() {
        detail(send("GET", "/v1/nothing-here", caller.key(), null), 404, "not_found");
        detail(send("DELETE", "/v1/jobs", caller.key(), null), 405, "method_not_allowed");
        detail(send("PATCH", "/v1/embeddings", caller.key(), "{}"), 405, "method_not_allowed");
    }

    @Test
    void aBodyOnGet() {
        try (RawHttp http = new RawHttp()) {
            http.send(RawHttp.head("GET /v1/jobs", caller.key(), "Content-Type: application/json",
                    "Content-Length: 2") + "{}");
            assertRefusedAndClosed(http, 400, "body_not_allowed");
        }
        try (RawHttp http = new RawHttp()) {
            http.send(RawHttp.head("GET /v1/jobs", caller.key(), "Transfer-Encoding: chunked") + "0\r\n\r\n");
            assertRefusedAndClosed(http, 400, "body_not_allowed");
        }
    }

    @Test
    void invalidPercentEncoding() {
        for (String target : new String[]{"/v1/jobs/%zz", "/v1/jobs?status=%zz", "/v1/collections/%"}) {
            try (RawHttp http = new RawHttp()) {
                http.send(RawHttp.head("GET " + target, caller.key(), "Connection: close"));
                detail(http.read().asApiResponse(), 400, "malformed_uri");
            }
        }
    }
}
