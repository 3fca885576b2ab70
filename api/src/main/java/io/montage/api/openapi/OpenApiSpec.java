package io.montage.api.openapi;

import jakarta.inject.Singleton;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The spec {@code /openapi.yml} serves: the one micronaut-openapi generates from the controllers at build time,
 * with the schema shapes it gets wrong for OpenAPI 3.1 put right, once, when the api starts (ADR 0024):
 * <ul>
 * <li>a nullable reference comes out as {@code type: "null"} with {@code allOf: [$ref]}, which only {@code null}
 * satisfies; it becomes {@code anyOf: [$ref, {type: "null"}]};</li>
 * <li>a nullable scalar (an {@code @Nullable Integer}, a query parameter) sometimes comes out as
 * {@code type: [integer, "null", object]}: one Java type is never also an object, so {@code object} is dropped;</li>
 * <li>a free-form field ({@code io.micronaut.json.tree.JsonNode}: any JSON) comes out as the node class's
 * getters; it becomes {@code AnyJson}, a schema that takes any value.</li>
 * </ul>
 */
@Singleton
public class OpenApiSpec {

    static final String GENERATED = "/META-INF/swagger/montage-api-v1.yml";
    private static final String NODE_CLASS = "#/components/schemas/JsonNode";
    private static final String ANY_JSON = "AnyJson";

    private final byte[] yaml;

    public OpenApiSpec() {
        Yaml parser = new Yaml(new SafeConstructor(new LoaderOptions()));
        Map<String, Object> spec = parser.load(new String(resource(GENERATED), StandardCharsets.UTF_8));
        repair(spec);
        @SuppressWarnings("unchecked")
        Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) spec.get("components"))
                .get("schemas");
        if (schemas.remove("JsonNode") != null) {
            schemas.put(ANY_JSON, new LinkedHashMap<>(Map.of("description", "any JSON value")));
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setWidth(120);
        yaml = new Yaml(new Representer(options), options).dump(spec).getBytes(StandardCharsets.UTF_8);
    }

    /** The spec as served, OpenAPI 3.1 in YAML. */
    public byte[] yaml() {
        return yaml.clone();
    }

    @SuppressWarnings("unchecked")
    private static void repair(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> schema = (Map<String, Object>) map;
            if (NODE_CLASS.equals(schema.get("$ref"))) {
                schema.put("$ref", "#/components/schemas/" + ANY_JSON);
            }
            if ("null".equals(schema.get("type")) && schema.get("allOf") instanceof List<?> all && all.size() == 1) {
                schema.remove("type");
                schema.remove("allOf");
                List<Object> either = new ArrayList<>(all);
                either.add(new LinkedHashMap<>(Map.of("type", "null")));
                schema.put("anyOf", either);
            }
            if (schema.get("type") instanceof List<?> types && types.size() > 2 && types.contains("null")) {
                List<Object> scalar = new ArrayList<>(types);
                scalar.remove("object");
                schema.put("type", scalar);
            }
            schema.values().forEach(OpenApiSpec::repair);
        } else if (node instanceof List<?> list) {
            list.forEach(OpenApiSpec::repair);
        }
    }

    /** A file of the api's jar (the generated spec, the API page). */
    static byte[] resource(String path) {
        try (InputStream in = OpenApiSpec.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
