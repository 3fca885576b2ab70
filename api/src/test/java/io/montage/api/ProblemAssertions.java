package io.montage.api;

import io.micronaut.json.tree.JsonNode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every error the API returns has the same problem-JSON shape. */
public final class ProblemAssertions {

    private ProblemAssertions() {
    }

    public static JsonNode assertProblem(ApiServer.Response response, int status, String code) {
        assertEquals(status, response.status(), response.body());
        assertTrue(response.contentType().startsWith("application/problem+json"), response.contentType());
        JsonNode problem = response.json();
        assertEquals(code, problem.get("code").getStringValue(), response.body());
        assertEquals(status, problem.get("status").getIntValue());
        assertEquals("urn:montage:problem:" + code, problem.get("type").getStringValue());
        assertFalse(problem.get("title").getStringValue().isBlank());
        assertFalse(problem.get("detail").getStringValue().isBlank());
        return problem;
    }
}
