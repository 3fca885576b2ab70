package io.montage.api.http;

import io.montage.api.ApiServer;
import io.montage.apikeys.Scope;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;

import static io.montage.api.http.EdgeAssertions.assertCleanProblem;
import static io.montage.api.http.EdgeAssertions.assertRefusedAndClosed;

/** Request lines and headers that Netty's decoder refuses come back as problem JSON, not a bare close. */
class HeaderLimitsTest {

    private final ApiServer.Caller caller = ApiServer.newCaller(EnumSet.allOf(Scope.class));

    private void assertRefused(String request, int status, String code) {
        try (RawHttp http = new RawHttp()) {
            http.send(request);
            assertRefusedAndClosed(http, status, code);
        }
    }

    @Test
    void aHugeHeaderIs431() {
        assertRefused(RawHttp.head("GET /v1/jobs", caller.key(), "X-Big: " + "a".repeat(64 * 1024)),
                431, "headers_too_large");
    }

    @Test
    void tenThousandHeadersAre431() {
        String[] headers = new String[10_000];
        for (int i = 0; i < headers.length; i++) {
            headers[i] = "X-H" + i + ": v";
        }
        assertRefused(RawHttp.head("GET /v1/jobs", caller.key(), headers), 431, "headers_too_large");
    }

    @Test
    void aRequestLineOverTheLimitIs414() {
        assertRefused(RawHttp.head("GET /v1/jobs?after=" + "a".repeat(10_000), caller.key()), 414, "uri_too_long");
    }

    @Test
    void somethingThatIsNotHttpIs400() {
        assertRefused("HELLO\r\n\r\n", 400, "malformed_request");
        assertRefused("GET /v1/jobs HTTP/1.1\r\nHost: api\r\nno colon here\r\n\r\n", 400, "malformed_request");
        assertRefused("GET /v1/jobs HTTP/1.1\r\nHost: api\r\nContent-Length: twelve\r\n\r\n", 400, "malformed_request");
    }

    @Test
    void twoAuthorizationHeadersAreRefused() {
        try (RawHttp http = new RawHttp()) {
            http.send(RawHttp.head("GET /v1/jobs", caller.key(), "Authorization: Bearer " + caller.key(),
                    "Connection: close"));
            assertCleanProblem(http.read(), 401, "multiple_authorization_headers");
        }
    }
}
