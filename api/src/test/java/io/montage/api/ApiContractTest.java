package io.montage.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.montage.api.openapi.OpenApiSpec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The contract check refuses what the spec does not describe, and the spec is the one the issue asked for. */
class ApiContractTest {

    private static final String PAGE = "{\"object\":\"list\",\"data\":[],\"has_more\":false,\"next_after\":null}";

    @Test
    void aResponseTheSpecDoesNotDescribeFails() {
        assertDoesNotThrow(() -> ApiContract.check("GET", "/v1/jobs?limit=1", 200, "application/json", PAGE));
        assertThrows(AssertionError.class, () -> ApiContract.check("GET", "/v1/jobs", 200, "application/json",
                PAGE.replace("has_more", "hasMore")), "a field under another name than the spec's");
        assertThrows(AssertionError.class, () -> ApiContract.check("GET", "/v1/jobs", 200, "application/json",
                PAGE.replace("false", "\"no\"")), "a field of another type");
        assertThrows(AssertionError.class, () -> ApiContract.check("GET", "/v1/jobs", 204, null, ""),
                "a status the operation does not list");
        assertThrows(AssertionError.class, () -> ApiContract.check("GET", "/v1/jobs", 200, "text/plain", PAGE),
                "a content type the status does not list");
        assertThrows(AssertionError.class, () -> ApiContract.check("GET", "/v1/nothing", 200, "application/json",
                "{}"), "a route the spec does not have");
        assertDoesNotThrow(() -> ApiContract.check("GET", "/v1/nothing", 404, "application/problem+json",
                "{\"type\":\"urn:montage:problem:not_found\",\"title\":\"Not Found\",\"status\":404,"
                        + "\"detail\":\"no such resource\",\"code\":\"not_found\"}"));
        assertThrows(AssertionError.class, () -> ApiContract.check("GET", "/v1/nothing", 404,
                "application/problem+json", "{\"error\":\"not found\"}"), "a 404 that is not problem JSON");
    }

    @Test
    void keyedRoutesNeedTheBearerSchemeAndPublicOnesNothing() throws IOException {
        JsonNode spec = YAMLMapper.builder().build().readTree(new OpenApiSpec().yaml());
        List<String> wrong = new ArrayList<>();
        Set<String> operationIds = new HashSet<>();
        spec.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            String name = operation.getKey() + " " + path.getKey();
            boolean keyed = path.getKey().startsWith("/v1/");
            JsonNode security = operation.getValue().get("security");
            if (keyed != (security != null && security.get(0).has("apiKey"))) {
                wrong.add(name + (keyed ? " lacks the bearer scheme" : " asks for a key"));
            }
            JsonNode responses = operation.getValue().get("responses");
            if (keyed && !(responses.has("401") && responses.has("403") && responses.has("429"))) {
                wrong.add(name + " does not list the key's problems");
            }
            String operationId = operation.getValue().get("operationId").asText();
            if (!operationIds.add(operationId) || operationId.matches(".*_\\d+")) {
                wrong.add(name + ": operationId " + operationId + " is not its own");
            }
        }));
        assertEquals(List.of(), wrong);
        assertEquals("http", spec.at("/components/securitySchemes/apiKey/type").asText());
        assertEquals("bearer", spec.at("/components/securitySchemes/apiKey/scheme").asText());
    }
}
