package io.montage.worker.testing;

import io.micronaut.json.tree.JsonNode;
import io.montage.jobs.NewItem;
import io.montage.json.JsonCodec;
import io.montage.testing.SharedContext;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Items from inputs as the tests write them, {@code {"image": base64, …}} as a tenant sends them: queued as the api
 * queues them, the image's bytes beside the JSON, which says how many there are.
 */
public final class TestItems {

    private TestItems() {
    }

    public static NewItem item(String customId, String inputJson) {
        JsonCodec json = SharedContext.bean(JsonCodec.class);
        JsonNode input = json.read(inputJson, JsonNode.class);
        if (input == null || !input.isObject() || input.get("image") == null) {
            return new NewItem(customId, inputJson);
        }
        byte[] bytes = Base64.getDecoder().decode(input.get("image").getStringValue());
        Map<String, JsonNode> rest = new LinkedHashMap<>();
        input.entries().forEach(e -> rest.put(e.getKey(), e.getValue()));
        rest.remove("image");
        rest.put("image_bytes", JsonNode.createNumberNode(bytes.length));
        return new NewItem(customId, json.write(JsonNode.createObjectNode(rest)), bytes, null, null);
    }
}
