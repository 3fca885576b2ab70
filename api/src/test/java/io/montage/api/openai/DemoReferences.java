package io.montage.api.openai;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.montage.api.ApiServer;
import io.montage.api.DemoPlatform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/**
 * What Python computed for the demo model (its reference/embeddings.json, deploy/models/make_reference.py): the
 * vectors an OpenAI client must get back from Montage, whatever path the request took.
 */
final class DemoReferences {

    private static final JsonNode REFERENCES = read();

    private DemoReferences() {
    }

    /** The reference embedding of one of the reference texts. */
    static float[] text(String text) {
        for (JsonNode entry : REFERENCES.get("texts").values()) {
            if (entry.get("text").getStringValue().equals(text)) {
                return floats(entry.get("embedding"));
            }
        }
        throw new IllegalArgumentException("no reference text " + text);
    }

    /** The reference embedding of one of the reference images ({@code images/…}). */
    static float[] image(String file) {
        for (JsonNode entry : REFERENCES.get("images").values()) {
            if (entry.get("file").getStringValue().equals(file)) {
                return floats(entry.get("embedding"));
            }
        }
        throw new IllegalArgumentException("no reference image " + file);
    }

    /** A reference image as a data URL, as a client sends one. */
    static String imageDataUrl(String file) {
        try {
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(
                    Files.readAllBytes(DemoPlatform.DEMO_BUNDLE.resolve("reference").resolve(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static float[] floats(List<? extends Number> values) {
        float[] floats = new float[values.size()];
        for (int i = 0; i < floats.length; i++) {
            floats[i] = values.get(i).floatValue();
        }
        return floats;
    }

    private static float[] floats(JsonNode array) {
        float[] floats = new float[array.size()];
        for (int i = 0; i < floats.length; i++) {
            floats[i] = array.get(i).getFloatValue();
        }
        return floats;
    }

    private static JsonNode read() {
        Path file = DemoPlatform.DEMO_BUNDLE.resolve("reference").resolve("embeddings.json");
        try {
            return ApiServer.bean(JsonMapper.class).readValue(Files.readAllBytes(file), JsonNode.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
