package io.montage.json;

import io.micronaut.json.tree.JsonNode;
import io.montage.testing.SharedContext;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** An image at the 20 MiB image limit, as base64 inside JSON, parses; a string past the limit does not. */
class JsonReadLimitsTest {

    private final JsonCodec json = SharedContext.bean(JsonCodec.class);

    @Test
    void theLargestImageAsBase64Parses() {
        String image = Base64.getEncoder().encodeToString(new byte[20 * 1024 * 1024]);
        JsonNode item = json.read("{\"image\":\"" + image + "\"}", JsonNode.class);
        assertEquals(image.length(), item.get("image").getStringValue().length());
    }

    @Test
    void aStringLongerThanTheLimitIsRefused() {
        int max = SharedContext.bean(JsonReadLimits.class).maxStringLength();
        assertThrows(UncheckedIOException.class, () -> json.read("\"" + "x".repeat(max + 1) + "\"", JsonNode.class));
    }
}
