package io.montage.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Custom resources (KEDA's, CloudNativePG's) checked against the openAPIV3Schema of their operator's CRD, vendored
 * in src/test/resources/schemas (README there). The API server prunes fields a structural schema does not declare
 * without a word, so a misspelt field would be dropped, not refused: here an undeclared field is an error.
 */
final class CrdSchemas {

    private final Map<String, Schema> byKind = new HashMap<>();

    /** @param crds resource names of CRD files under /schemas */
    CrdSchemas(String... crds) {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30());
        for (String crd : crds) {
            JsonNode definition = Manifests.yaml(resource("/schemas/" + crd)).getFirst();
            String group = definition.at("/spec/group").asText();
            String kind = definition.at("/spec/names/kind").asText();
            for (JsonNode version : definition.at("/spec/versions")) {
                JsonNode schema = strict(version.at("/schema/openAPIV3Schema").deepCopy());
                byKind.put(group + "/" + version.get("name").asText() + " " + kind, registry.getSchema(schema));
            }
        }
    }

    /** The schema's complaints about a resource; an error when no vendored CRD defines its apiVersion and kind. */
    List<String> validate(JsonNode resource) {
        String key = resource.get("apiVersion").asText() + " " + resource.get("kind").asText();
        Schema schema = byKind.get(key);
        if (schema == null) {
            return List.of("no CRD schema for " + key);
        }
        return schema.validate(resource).stream().map(Error::toString).toList();
    }

    boolean knows(JsonNode resource) {
        return byKind.containsKey(resource.get("apiVersion").asText() + " " + resource.get("kind").asText());
    }

    /** Every object schema that lists its properties and keeps no unknown fields refuses others. */
    private static JsonNode strict(JsonNode schema) {
        if (schema instanceof ObjectNode object) {
            if (object.has("properties") && !object.has("additionalProperties")
                    && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                object.put("additionalProperties", false);
            }
            object.elements().forEachRemaining(CrdSchemas::strict);
        } else if (schema != null && schema.isArray()) {
            schema.forEach(CrdSchemas::strict);
        }
        return schema;
    }

    private static String resource(String name) {
        try (InputStream in = CrdSchemas.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
