package io.montage.api.http;

import io.micronaut.json.tree.JsonNode;
import io.montage.api.ApiServer;

import java.util.List;

import static io.montage.api.ProblemAssertions.assertProblem;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every answer to a hostile request must be: problem JSON in the API's own words. */
final class EdgeAssertions {

    /** Text that would betray the framework, the parser or the configuration behind the API. */
    private static final List<String> INTERNALS = List.of("java.", "io.micronaut", "io.netty", "jackson", "Argument",
            "Failed to convert", "micronaut.", "StreamReadFeature", "[Source", "exception", "Exception");

    private EdgeAssertions() {
    }

    static JsonNode assertCleanProblem(ApiServer.Response response, int status, String code) {
        JsonNode problem = assertProblem(response, status, code);
        String detail = problem.get("detail").getStringValue();
        INTERNALS.forEach(internal -> assertFalse(detail.contains(internal), internal + " in: " + detail));
        return problem;
    }

    static JsonNode assertCleanProblem(RawHttp.Response response, int status, String code) {
        return assertCleanProblem(response.asApiResponse(), status, code);
    }

    /** The next response is this problem, and then the server closes the connection. */
    static JsonNode assertRefusedAndClosed(RawHttp http, int status, String code) {
        RawHttp.Response response = http.read();
        JsonNode problem = assertCleanProblem(response, status, code);
        assertTrue("close".equalsIgnoreCase(response.headers().get("connection")), response.headers().toString());
        assertTrue(http.closedByServer(), "the connection stays open after " + code);
        return problem;
    }
}
