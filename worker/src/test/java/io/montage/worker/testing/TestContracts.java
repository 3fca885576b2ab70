package io.montage.worker.testing;

import io.micronaut.json.tree.JsonNode;
import io.montage.jobs.contracts.JobContract;

/** Contracts of the job types only tests run: parameters, inputs and results are any JSON. */
public final class TestContracts {

    private TestContracts() {
    }

    public static JobContract<JsonNode, JsonNode, JsonNode> anyJson(String type) {
        return new JobContract<>(type, JsonNode.class, JsonNode.class, JsonNode.class);
    }

    /** {@code {"<name>": value}}: a test handler's result. */
    public static JsonNode field(String name, JsonNode value) {
        return JsonNode.createObjectNode(java.util.Map.of(name, value));
    }
}
