package io.montage.api.http;

import io.micronaut.json.tree.JsonNode;
import io.montage.api.ApiServer;
import io.montage.apikeys.Scope;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import static io.montage.api.http.EdgeAssertions.assertCleanProblem;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every POST route with a missing or wrong Content-Type, and every kind of route with a garbage Accept. */
class ContentTypeTest {

    /** Routes that take JSON or a multipart form: a body without Content-Type cannot be told apart. */
    private static final List<String> JSON_OR_FORM_POSTS = List.of("/v1/embeddings", "/v1/classify", "/v1/similarity");
    private static final List<String> JSON_ONLY_POSTS = List.of("/v1/collections", "/v1/collections/c/model",
            "/v1/collections/c/items", "/v1/collections/c/items/delete", "/v1/collections/c/search");
    private static final List<String> JSON_POSTS = java.util.stream.Stream.concat(JSON_OR_FORM_POSTS.stream(),
            JSON_ONLY_POSTS.stream()).toList();
    private static final List<String> BODILESS_POSTS = List.of("/v1/jobs/" + UUID.randomUUID() + "/cancel",
            "/v1/collections/c/model/cancel");

    private final ApiServer.Caller caller = ApiServer.newCaller(EnumSet.allOf(Scope.class));

    private RawHttp.Response exchange(String requestLine, String body, String... headers) {
        String[] all = new String[headers.length + 2];
        System.arraycopy(headers, 0, all, 0, headers.length);
        all[headers.length] = "Content-Length: " + body.length();
        all[headers.length + 1] = "Connection: close";
        try (RawHttp http = new RawHttp()) {
            http.send(RawHttp.head(requestLine, caller.key(), all) + body);
            return http.read();
        }
    }

    private static void assertNamesTheJobTypes(JsonNode problem) {
        String detail = problem.get("detail").getStringValue();
        for (String type : List.of("application/json", "application/x-ndjson", "application/zip")) {
            assertTrue(detail.contains(type), detail);
        }
    }

    @Test
    void aJobWithoutContentTypeIs415NamingWhatIsAccepted() {
        assertNamesTheJobTypes(assertCleanProblem(exchange("POST /v1/jobs", "{\"type\":\"echo\"}"),
                415, "unsupported_media_type"));
        assertNamesTheJobTypes(assertCleanProblem(exchange("POST /v1/jobs", ""), 415, "unsupported_media_type"));
    }

    @Test
    void aJobOfAnotherContentTypeIs415NamingWhatIsAccepted() {
        for (String type : new String[]{"text/plain", "application/xml", "multipart/form-data; boundary=x", ";;;"}) {
            assertNamesTheJobTypes(assertCleanProblem(exchange("POST /v1/jobs", "{}", "Content-Type: " + type),
                    415, "unsupported_media_type"));
        }
    }

    @Test
    void everyJsonRouteRefusesOtherContentTypes() {
        for (String path : JSON_POSTS) {
            JsonNode problem = assertCleanProblem(exchange("POST " + path, "{}", "Content-Type: text/plain"),
                    415, "unsupported_media_type");
            assertTrue(problem.get("detail").getStringValue().contains("application/json"), path + ": " + problem);
        }
    }

    @Test
    void aSyncInferenceBodyWithoutContentTypeIs415NamingJsonAndForms() {
        for (String path : JSON_OR_FORM_POSTS) {
            String detail = assertCleanProblem(exchange("POST " + path, "{}"), 415, "unsupported_media_type")
                    .get("detail").getStringValue();
            assertTrue(detail.contains("application/json") && detail.contains("multipart/form-data"), path + ": " + detail);
        }
    }

    @Test
    void everyJsonOnlyRouteReadsABodyWithoutContentTypeAsJson() {
        for (String path : JSON_ONLY_POSTS) {
            RawHttp.Response response = exchange("POST " + path, "{}");
            assertNotEquals(415, response.status(), path);
            assertTrue(response.status() < 500, path + ": " + response);
        }
    }

    @Test
    void postsWithoutABodyNeedNoContentType() {
        for (String path : BODILESS_POSTS) {
            RawHttp.Response response = exchange("POST " + path, "");
            assertTrue(response.status() == 404 || response.status() == 409, path + ": " + response);
        }
    }

    @Test
    void anAcceptThatNothingHereProducesIs406() {
        for (String accept : new String[]{";;;garbage/", "application/xml", "text/html"}) {
            for (String path : JSON_POSTS) {
                assertCleanProblem(exchange("POST " + path, "{}", "Content-Type: application/json",
                        "Accept: " + accept), 406, "not_acceptable");
            }
            assertCleanProblem(exchange("GET /v1/jobs", "", "Accept: " + accept), 406, "not_acceptable");
            assertCleanProblem(exchange("GET /v1/jobs/" + UUID.randomUUID() + "/results", "", "Accept: " + accept),
                    406, "not_acceptable");
        }
    }

    @Test
    void lenientAcceptsAreServed() {
        for (String accept : new String[]{"*/*", "application/json", "*/*;q=abc", ",,,",
                "application/json;q=0.5, text/html"}) {
            RawHttp.Response response = exchange("GET /v1/jobs", "", "Accept: " + accept);
            assertTrue(response.status() == 200, accept + ": " + response);
        }
    }
}
