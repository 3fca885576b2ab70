package io.montage.api.input;

import io.micronaut.json.tree.JsonNode;
import io.montage.api.ApiServer;
import io.montage.apikeys.Scope;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.testing.FakeBundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.montage.api.ApiServer.send;
import static io.montage.api.ProblemAssertions.assertProblem;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile content in JSON bodies, paths and query parameters, at every endpoint: each is a documented 4xx problem
 * (never a 5xx), with a detail that says where.
 */
class HostileContentTest {

    private static Model model; // 8-dimensional, served by no worker: a request that passed every check would be 503
    private final ApiServer.Caller caller = ApiServer.newCaller(EnumSet.allOf(Scope.class));

    @BeforeAll
    static void aModel() throws Exception {
        ModelRegistry registry = ApiServer.bean(ModelRegistry.class);
        model = registry.register(FakeBundle.write(Files.createTempDirectory("bundle"),
                "hostile-" + UUID.randomUUID().toString().substring(0, 6), "1", "w").toString());
        registry.markReady(model.id());
    }

    private record Case(String method, String path, String body, int status, String code) {
    }

    private String collection() {
        String name = "c-" + UUID.randomUUID().toString().substring(0, 8);
        ApiServer.Response created = send("POST", "/v1/collections", caller.key(),
                "{\"name\":\"" + name + "\",\"model\":\"" + model.reference() + "\"}");
        assertEquals(201, created.status(), created.body());
        return name;
    }

    private static String nested(int levels) {
        return "[".repeat(levels) + "]".repeat(levels);
    }

    private static String vector(String value) {
        return IntStream.range(0, 8).mapToObj(i -> value).collect(Collectors.joining(",", "[", "]"));
    }

    @Test
    void everyHostileBodyIsAProblemNamingWhere() {
        String m = "\"model\":\"" + model.reference() + "\"";
        String c = "/v1/collections/" + collection();
        List<Case> cases = List.of(
                // StrictJson, before any route binds the body: top-level object, items array, item object = 3
                new Case("POST", "/v1/jobs", "{\"type\":\"echo\",\"items\":[{\"input\":" + nested(62) + "}]}",
                        422, "json_too_deep"),
                new Case("POST", "/v1/jobs", "{\"type\":\"echo\",\"type\":\"embed\",\"items\":[{\"input\":1}]}",
                        400, "duplicate_json_key"),
                new Case("POST", "/v1/jobs", "{\"type\":\"echo\",\"items\":[{\"custom_id\":\"a\\u0000b\",\"input\":1}]}",
                        422, "nul_character"),
                new Case("POST", "/v1/jobs", "{\"type\":\"echo\",\"items\":[{\"input\":{\"k\\u0000\":1}}]}",
                        422, "nul_character"),
                new Case("POST", "/v1/embeddings", "{" + m + ",\"input\":\"\\ud800\"}", 422, "invalid_unicode"),
                new Case("POST", "/v1/embeddings", "{" + m + ",\"input\":\"\\udc00\\ud800\"}", 422, "invalid_unicode"),
                new Case("POST", "/v1/jobs", "{\"type\":\"echo\",\"items\":[{\"input\":1e999}]}",
                        422, "number_out_of_range"),
                new Case("POST", "/v1/jobs", "{\"type\":\"echo\",\"items\":[{\"input\":1}]} {}", 400, "invalid_json"),
                new Case("POST", "/v1/jobs", "{\"type\":\"echo\",", 400, "invalid_json"),
                new Case("POST", "/v1/embeddings", "null", 400, "invalid_body"),
                new Case("POST", "/v1/embeddings", "[{" + m + ",\"input\":\"x\"}]", 400, "invalid_body"),
                new Case("POST", "/v1/classify", "\"images\"", 400, "invalid_body"),
                // null and wrong elements, at each endpoint
                new Case("POST", "/v1/jobs", "{\"type\":\"echo\",\"items\":[null]}", 422, "invalid_item"),
                new Case("POST", "/v1/jobs", "{\"type\":\"echo\",\"items\":[{\"input\":1},7]}", 422, "invalid_item"),
                new Case("POST", "/v1/jobs", "{\"type\":\"embed\"," + m + ",\"items\":[\"a text\"]}", 422, "invalid_item"),
                new Case("POST", "/v1/jobs", "{\"type\":\"echo\",\"items\":null}", 422, "empty_job"),
                // null in a list of strings, records or numbers is no value of its type (the list of job items holds
                // JSON values, each checked as an item)
                new Case("POST", "/v1/jobs", "{\"type\":\"classify\"," + m + ",\"labels\":[null],\"items\":"
                        + "[{\"image_url\":\"https://example.com/a.png\"}]}", 400, "invalid_body"),
                new Case("POST", "/v1/jobs", "{\"type\":\"embed\"," + m + ",\"items\":[{\"text\":\"a\",\"image\":\"b\"}]}",
                        422, "invalid_item"),
                new Case("POST", "/v1/embeddings", "{" + m + ",\"input\":[null]}", 422, "unsupported_input"),
                new Case("POST", "/v1/embeddings", "{" + m + ",\"input\":[{}]}", 422, "unsupported_input"),
                new Case("POST", "/v1/embeddings", "{" + m + ",\"input\":null}", 422, "missing_input"),
                new Case("POST", "/v1/embeddings", "{" + m + ",\"input\":[{\"text\":\"boot\",\"image\":\"aGk=\"}]}",
                        422, "ambiguous_input"),
                new Case("POST", "/v1/classify", "{" + m + ",\"images\":[null],\"labels\":[\"a\"]}", 400, "invalid_body"),
                new Case("POST", "/v1/classify", "{" + m + ",\"images\":[\"aGk=\"],\"labels\":[null]}", 400, "invalid_body"),
                new Case("POST", "/v1/classify", "{" + m + ",\"images\":null,\"labels\":[\"a\"]}", 422, "missing_images"),
                new Case("POST", "/v1/similarity", "{" + m + ",\"images\":[null],\"texts\":[\"a\"]}", 400, "invalid_body"),
                new Case("POST", "/v1/similarity", "{" + m + ",\"images\":[\"aGk=\"],\"texts\":null}", 422, "missing_texts"),
                new Case("POST", "/v1/collections", "{\"name\":null," + m + "}", 422, "invalid_collection_name"),
                new Case("POST", c + "/items", "{\"items\":[null]}", 400, "invalid_body"),
                new Case("POST", c + "/items", "{\"items\":null}", 422, "missing_items"),
                new Case("POST", c + "/items", "{\"items\":[{\"id\":\"x\",\"text\":\"a\",\"image\":\"aGk=\"}]}",
                        422, "invalid_item"),
                new Case("POST", c + "/items", "{\"items\":[{\"id\":\"x\",\"vector\":" + vector("1e-8") + "}]}",
                        422, "zero_vector"),
                new Case("POST", c + "/items", "{\"items\":[{\"id\":\"x\",\"vector\":" + vector("null") + "}]}",
                        400, "invalid_body"),
                new Case("POST", c + "/items/delete", "{\"ids\":null}", 422, "missing_ids"),
                new Case("POST", c + "/search", "{\"query\":null}", 422, "invalid_query"),
                new Case("POST", c + "/search", "{\"query\":{\"vector\":" + vector("1e-8") + "}}", 422, "zero_vector"),
                new Case("POST", c + "/search", "{\"query\":{\"vector\":" + vector("1") + "},\"filter\":{\"k\":\"\\ud800\"}}",
                        422, "invalid_unicode"),
                new Case("POST", c + "/search", "{\"query\":{\"vector\":" + vector("1") + "},\"filter\":{\"k\":{}}}",
                        422, "invalid_filter"),
                new Case("POST", c + "/search", "{\"query\":{\"vector\":" + vector("1") + "},\"filter\":{\"k\":{\"in\":"
                        + IntStream.range(0, 100_000).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]"))
                        + "}}}", 422, "filter_too_large"),
                new Case("POST", c + "/search", "{\"query\":{\"vector\":" + vector("1") + "},\"filter\":"
                        + IntStream.range(0, 65).mapToObj(i -> "\"k" + i + "\":1").collect(Collectors.joining(",", "{", "}"))
                        + "}", 422, "filter_too_large"));
        List<org.junit.jupiter.api.function.Executable> checks = new ArrayList<>();
        for (Case k : cases) {
            checks.add(() -> {
                ApiServer.Response response = send(k.method(), k.path(), caller.key(), k.body());
                JsonNode problem = assertProblem(response, k.status(), k.code());
                String detail = problem.get("detail").getStringValue();
                assertFalse(detail.contains("Exception") || detail.contains("io.micronaut") || detail.contains("jackson"),
                        k + ": " + detail);
            });
        }
        assertAll(checks);
    }

    @Test
    void detailsNameWhereAsAJsonPointer() {
        JsonNode deep = assertProblem(send("POST", "/v1/jobs", caller.key(),
                "{\"type\":\"echo\",\"items\":[{\"input\":" + nested(62) + "}]}"), 422, "json_too_deep");
        assertTrue(deep.get("detail").getStringValue().contains("/items/0/input/0/0"), deep.toString());
        JsonNode nul = assertProblem(send("POST", "/v1/jobs", caller.key(),
                "{\"type\":\"echo\",\"items\":[{\"input\":1},{\"custom_id\":\"a\\u0000\",\"input\":1}]}"), 422, "nul_character");
        assertTrue(nul.get("detail").getStringValue().contains("/items/1/custom_id"), nul.toString());
        JsonNode duplicate = assertProblem(send("POST", "/v1/jobs", caller.key(),
                "{\"type\":\"echo\",\"items\":[{\"input\":1,\"input\":2}]}"), 400, "duplicate_json_key");
        assertTrue(duplicate.get("detail").getStringValue().contains("\"input\" appears twice in the request body at "
                + "/items/0"), duplicate.toString());
    }

    @Test
    void sixtyFourLevelsAreAllowed() {
        ApiServer.Response response = send("POST", "/v1/jobs", caller.key(),
                "{\"type\":\"echo\",\"items\":[{\"input\":" + nested(61) + "}]}");
        assertEquals(201, response.status(), response.body());
    }

    @Test
    void malformedUtf8InABodyIsInvalidJson() throws Exception {
        byte[] body = "{\"type\":\"echo\",\"items\":[{\"input\":\"\u00ff\u00ff\"}]}".getBytes(StandardCharsets.ISO_8859_1);
        assertProblem(post("/v1/jobs", "application/json", body), 400, "invalid_json");
        byte[] surrogate = {'{', '"', 'i', 'n', 'p', 'u', 't', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'};
        assertTrue(post("/v1/embeddings", "application/json", surrogate).status() / 100 == 4);
    }

    @Test
    void aLargeBodyIsCheckedToItsEnd() {
        String body = "{\"type\":\"echo\",\"items\":[{\"input\":\"" + "x".repeat(12 * 1024 * 1024) + "\\u0000\"}]}";
        assertEquals(4, send("POST", "/v1/jobs", caller.key(), body).status() / 100);
        assertEquals(0, send("GET", "/v1/jobs", caller.key(), null).json().get("data").size(), "no job");
    }

    @Test
    void aJsonBodyWithoutContentTypeIsNotBoundUnchecked() throws Exception {
        HttpResponse<String> response = ApiServer.exchange(HttpRequest.newBuilder(
                        URI.create(ApiServer.get().getURL() + "/v1/embeddings"))
                .header("Authorization", "Bearer " + caller.key())
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model.reference()
                        + "\",\"input\":\"a\\u0000\"}")).build());
        assertEquals(4, response.statusCode() / 100, response.body());
    }

    @Test
    void nulAndBadPercentEncodingsInPathsAndQueriesAreRefused() {
        String c = collection();
        assertProblem(send("GET", "/v1/collections/a%00b", caller.key(), null), 422, "nul_character");
        assertProblem(send("DELETE", "/v1/collections/" + c + "/items/x%00y", caller.key(), null), 422, "nul_character");
        assertProblem(send("GET", "/v1/collections/%C3%28", caller.key(), null), 400, "invalid_uri_encoding");
        assertProblem(send("GET", "/v1/collections/%ED%A0%80", caller.key(), null), 400, "invalid_uri_encoding");
        assertProblem(send("GET", "/v1/jobs?status=%FF", caller.key(), null), 400, "invalid_uri_encoding");
        for (String malformed : List.of("GET /v1/jobs?status=%4 HTTP/1.1", "GET /v1/collections/a%zz HTTP/1.1")) {
            ApiServer.Response response = raw(malformed); // refused by the server before any route: a 400 problem
            assertEquals(400, response.status(), malformed + ": " + response.body());
            assertTrue(response.contentType().startsWith("application/problem+json"), response.contentType());
        }
        JsonNode label = assertProblem(uploadJsonl("type=classify&model=" + model.reference() + "&labels=ok&labels=a%00",
                "{\"image_url\":\"https://example.com/a.png\"}\n"), 422, "nul_character");
        assertTrue(label.get("detail").getStringValue().contains("query parameter 'labels'"), label.toString());
        assertEquals(404, send("GET", "/v1/collections/caf%C3%A9", caller.key(), null).status(), "valid UTF-8 passes");
    }

    /** A request line a URI-checking client would refuse to send, written to the socket as it is. */
    private ApiServer.Response raw(String requestLine) {
        URI server = URI.create(ApiServer.get().getURL().toString());
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.getOutputStream().write((requestLine + "\r\nHost: localhost\r\nAuthorization: Bearer " + caller.key()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            String head = response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT);
            String contentType = head.lines().filter(l -> l.startsWith("content-type:"))
                    .map(l -> l.substring(13).strip()).findFirst().orElse("");
            return new ApiServer.Response(status, contentType, response.substring(response.indexOf("\r\n\r\n") + 4));
        } catch (IOException e) {
            throw new AssertionError(requestLine, e);
        }
    }

    private ApiServer.Response uploadJsonl(String query, String body) {
        return post("/v1/jobs?" + query, "application/x-ndjson", body.getBytes(StandardCharsets.UTF_8));
    }

    private ApiServer.Response post(String path, String contentType, byte[] body) {
        return ApiServer.sendBytes("POST", path, caller.key(), contentType, body);
    }
}
