package io.montage.api.input;

import io.micronaut.json.tree.JsonNode;
import io.montage.api.ApiServer;
import io.montage.apikeys.Scope;
import io.montage.models.Model;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.charset.StandardCharsets;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bodies are held to the JSON types of their endpoint's fields (no coercion of "10" to 10 or 1 to "1"), bodies to
 * well-formed UTF-8, and typed query parameters to a value when they are given at all.
 */
class BodyTypesTest {

    private static Model model; // 8-dimensional, served by no worker: a request that passed every check would be 503
    private final ApiServer.Caller caller = ApiServer.newCaller(EnumSet.allOf(Scope.class));

    @BeforeAll
    static void aModel() throws Exception {
        model = ApiServer.readyModel("types");
    }

    private record Case(String path, String body, String detail) {
    }

    private String collection() {
        String name = "c-" + UUID.randomUUID().toString().substring(0, 8);
        ApiServer.Response created = send("POST", "/v1/collections", caller.key(),
                "{\"name\":\"" + name + "\",\"model\":\"" + model.reference() + "\"}");
        assertEquals(201, created.status(), created.body());
        return "/v1/collections/" + name;
    }

    private static String vector(int first, String value) {
        return IntStream.range(0, 8).mapToObj(i -> i == first ? value : "0.5").collect(Collectors.joining(",", "[", "]"));
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedAtEveryEndpointNamingItsPointerAndType() {
        String m = "\"model\":\"" + model.reference() + "\",";
        String c = collection();
        String query = "{\"query\":{\"vector\":" + vector(0, "1") + "},";
        List<Case> cases = List.of(
                new Case("/v1/embeddings", "{" + m + "\"input\":\"a\",\"dimensions\":\"128\"}",
                        "/dimensions must be an integer, got a string"),
                new Case("/v1/embeddings", "{" + m + "\"input\":\"a\",\"user\":1}", "/user must be a string, got a number"),
                new Case("/v1/embeddings", "{\"model\":7,\"input\":\"a\"}", "/model must be a string, got a number"),
                new Case("/v1/classify", "{" + m + "\"images\":[\"aGk=\"],\"labels\":[1]}",
                        "/labels/0 must be a string, got a number"),
                new Case("/v1/classify", "{" + m + "\"images\":\"aGk=\",\"labels\":[\"a\"]}",
                        "/images must be an array, got a string"),
                new Case("/v1/similarity", "{" + m + "\"images\":[\"aGk=\"],\"texts\":[true]}",
                        "/texts/0 must be a string, got true"),
                new Case("/v1/collections", "{\"name\":1," + m.substring(0, m.length() - 1) + "}",
                        "/name must be a string, got a number"),
                new Case(c + "/model", "{\"model\":[]}", "/model must be a string, got an array"),
                new Case(c + "/items", "{\"items\":[{\"id\":1,\"vector\":" + vector(0, "1") + "}]}",
                        "/items/0/id must be a string, got a number"),
                new Case(c + "/items", "{\"items\":[{\"id\":\"a\",\"text\":2}]}", "/items/0/text must be a string, got a number"),
                new Case(c + "/items", "{\"items\":[{\"id\":\"a\",\"vector\":" + vector(3, "\"0.5\"") + "}]}",
                        "/items/0/vector/3 must be a number, got a string"),
                new Case(c + "/items", "{\"items\":[{\"id\":\"a\",\"vector\":" + vector(0, "true") + "}]}",
                        "/items/0/vector/0 must be a number, got true"),
                new Case(c + "/items", "{\"items\":[{\"id\":\"a\",\"vector\":" + vector(0, "[0.5]") + "}]}",
                        "/items/0/vector/0 must be a number, got an array"),
                new Case(c + "/items", "{\"items\":{\"id\":\"a\"}}", "/items must be an array, got an object"),
                new Case(c + "/items/delete", "{\"ids\":[null]}", "/ids/0 must be a string, got null"),
                new Case(c + "/items/delete", "{\"ids\":[1,2]}", "/ids/0 must be a string, got a number"),
                new Case(c + "/search", query + "\"top_k\":\"10\"}", "/top_k must be an integer, got a string"),
                new Case(c + "/search", query + "\"top_k\":true}", "/top_k must be an integer, got true"),
                new Case(c + "/search", query + "\"top_k\":1.5}", "/top_k must be an integer, got 1.5"),
                new Case(c + "/search", query + "\"top_k\":3000000000}",
                        "/top_k must be an integer from -2147483648 to 2147483647, got 3000000000"),
                new Case(c + "/search", query + "\"exact\":1}", "/exact must be true or false, got a number"),
                new Case(c + "/search", query + "\"exact\":\"yes\"}", "/exact must be true or false, got a string"),
                new Case(c + "/search", "{\"query\":{\"text\":5}}", "/query/text must be a string, got a number"),
                new Case(c + "/search", "{\"query\":\"shoes\"}", "/query must be an object, got a string"),
                new Case(c + "/search", "{\"query\":{\"vector\":" + vector(7, "null") + "}}",
                        "/query/vector/7 must be a number, got null"),
                new Case("/v1/jobs", "{\"type\":1,\"items\":[{\"input\":1}]}", "/type must be a string, got a number"),
                new Case("/v1/jobs", "{\"type\":\"classify\"," + m + "\"labels\":[2],\"items\":[{\"image\":\"aGk=\"}]}",
                        "/labels/0 must be a string, got a number"));
        List<Executable> checks = new ArrayList<>();
        for (Case k : cases) {
            checks.add(() -> {
                JsonNode problem = assertProblem(send("POST", k.path(), caller.key(), k.body()), 400, "invalid_body");
                assertEquals("the request body at " + k.detail(), cut(problem.get("detail").getStringValue()),
                        k.toString());
            });
        }
        assertAll(checks);
    }

    /** The detail up to its explanation of integers, where it gives one. */
    private static String cut(String detail) {
        int explanation = detail.indexOf(" (an integer");
        return explanation < 0 ? detail : detail.substring(0, explanation);
    }

    @Test
    void nullStaysAllowedForOptionalFieldsAndIntegersAreNumbers() {
        String c = collection();
        ApiServer.Response upsert = send("POST", c + "/items", caller.key(), "{\"items\":[{\"id\":\"a\",\"text\":null,"
                + "\"image\":null,\"metadata\":null,\"vector\":[1,0,0,0,0,0,0,0]}]}");
        assertEquals(200, upsert.status(), upsert.body());
        ApiServer.Response search = send("POST", c + "/search", caller.key(), "{\"query\":{\"vector\":"
                + vector(0, "1") + ",\"text\":null},\"top_k\":null,\"exact\":null,\"filter\":null,\"unknown\":[1,\"x\"]}");
        assertEquals(200, search.status(), search.body());
        assertEquals("a", search.json().get("data").get(0).get("id").getStringValue());
        ApiServer.Response deleted = send("POST", c + "/items/delete", caller.key(), "{\"ids\":[\"a\",\"gone\"]}");
        assertEquals(1, deleted.json().get("deleted").getIntValue(), deleted.body());
    }

    @Test
    void aBodyThatIsNotUtf8IsInvalidJson() {
        byte[] overlong = bytes("{\"input\":\"a", new byte[]{(byte) 0xC0, (byte) 0xAF}, "\"}");
        JsonNode slash = assertProblem(post("/v1/embeddings", overlong), 400, "invalid_json");
        assertTrue(slash.get("detail").getStringValue().startsWith("the request body is not valid UTF-8: at byte 11, "
                + "an overlong UTF-8 sequence"), slash.toString());
        byte[] utf16 = ("{\"model\":\"" + model.reference() + "\",\"input\":\"a\"}").getBytes(StandardCharsets.UTF_16LE);
        JsonNode wide = assertProblem(post("/v1/embeddings", utf16), 400, "invalid_json");
        assertTrue(wide.get("detail").getStringValue().contains("UTF-16"), wide.toString());
        assertProblem(post("/v1/embeddings", ("{\"input\":\"a\"}").getBytes(StandardCharsets.UTF_16)), 400,
                "invalid_json");
        assertProblem(post("/v1/collections", bytes("{\"name\":\"a", new byte[]{(byte) 0xE2, (byte) 0x82}, "\"}")),
                400, "invalid_json");
    }

    private static byte[] bytes(String before, byte[] middle, String after) {
        byte[] head = before.getBytes(StandardCharsets.UTF_8);
        byte[] tail = after.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + middle.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(middle, 0, all, head.length, middle.length);
        System.arraycopy(tail, 0, all, head.length + middle.length, tail.length);
        return all;
    }

    private ApiServer.Response post(String path, byte[] body) {
        return ApiServer.sendBytes("POST", path, caller.key(), "application/json", body);
    }

    @Test
    void anEmptyTypedQueryParameterIsRefusedRatherThanIgnored() {
        ApiServer.Response job = send("POST", "/v1/jobs", caller.key(), "{\"type\":\"echo\",\"items\":[{\"input\":1}]}");
        assertEquals(201, job.status(), job.body());
        String items = "/v1/jobs/" + job.json().get("id").getStringValue() + "/items";
        for (String path : List.of("/v1/jobs?limit=", "/v1/jobs?status=queued&limit", items + "?limit=")) {
            JsonNode problem = assertProblem(send("GET", path, caller.key(), null), 400, "invalid_parameter");
            assertEquals("limit is empty; give an integer or leave it out", problem.get("detail").getStringValue());
        }
        assertEquals("after is empty; give a UUID or leave it out", assertProblem(send("GET", "/v1/jobs?after=",
                caller.key(), null), 400, "invalid_parameter").get("detail").getStringValue());
        assertProblem(send("GET", items + "?after=", caller.key(), null), 400, "invalid_parameter");
        assertEquals(200, send("GET", "/v1/jobs?limit=5&unknown=", caller.key(), null).status(),
                "a parameter the route does not read may be empty");
        assertEquals(200, send("GET", items + "?limit=5", caller.key(), null).status());
    }
}
