package io.montage.api.problems;

import io.micronaut.json.tree.JsonNode;
import io.montage.api.ApiServer;
import io.montage.apikeys.Scope;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.testing.FakeBundle;
import io.montage.testing.NoInternals;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;

import static io.montage.api.ApiServer.send;
import static io.montage.api.ProblemAssertions.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A value that passes the api's checks but that the database refuses (a NUL character is valid JSON, but no
 * PostgreSQL text can hold it) is the caller's 422 with a code, never a 500 and never the database's message.
 */
class DatabaseRefusalTest {

    private final ApiServer.Caller caller = ApiServer.newCaller(EnumSet.allOf(Scope.class));

    @Test
    void aNulInAJobItemsCustomIdIsA422() {
        JsonNode problem = assertProblem(send("POST", "/v1/jobs", caller.key(),
                "{\"type\":\"echo\",\"items\":[{\"custom_id\":\"a\\u0000b\",\"input\":1}]}"), 422, "unsupported_character");
        NoInternals.assertNone(problem.get("detail").getStringValue());
        assertEquals(0, send("GET", "/v1/jobs", caller.key(), null).json().get("data").size(), "nothing was stored");
    }

    @Test
    void aNulInAnItemIdToDeleteIsA422() throws Exception {
        Model model = FakeBundle.registerReady(ApiServer.bean(ModelRegistry.class), "nul");
        assertEquals(201, send("POST", "/v1/collections", caller.key(),
                "{\"name\":\"c\",\"model\":\"" + model.reference() + "\"}").status());
        JsonNode problem = assertProblem(send("POST", "/v1/collections/c/items/delete", caller.key(),
                "{\"ids\":[\"x\\u0000\"]}"), 422, "unsupported_character");
        NoInternals.assertNone(problem.get("detail").getStringValue());
    }
}
