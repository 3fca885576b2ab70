package io.montage.api;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import io.montage.api.openapi.OpenApiSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The contract test: every response the api tests receive through {@link ApiServer} is checked against the
 * OpenAPI spec {@code /openapi.yml} serves ({@link OpenApiSpec}). The status must be one the operation
 * lists, the content type one that status lists, and a JSON body must match that content's schema, with no
 * property the schema does not name (the spec's objects are read as closed, so a field sent under another name
 * than the spec's fails). A request to no route may only be answered with the problems every route may answer
 * (those of {@code GET /health}) or a 404, one with a method the route lacks also with a 405.
 */
public final class ApiContract {

    private static final String SPEC_IRI = "https://montage.invalid/openapi.json";
    private static final ApiContract SPEC = new ApiContract();

    private record Route(String template, Pattern pattern, JsonNode item) {
    }

    private final JsonNode spec;
    private final List<Route> routes = new ArrayList<>();
    private final SchemaRegistry schemas;
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    private ApiContract() {
        try {
            spec = YAMLMapper.builder().build().readTree(new OpenApiSpec().yaml());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        spec.get("paths").properties().forEach(entry -> routes.add(new Route(entry.getKey(),
                Pattern.compile(entry.getKey().replaceAll("\\{[^}/]+}", "[^/]+")), entry.getValue())));
        // a literal segment beats a template one: /items/delete is not /items/{id}
        routes.sort(Comparator.comparingLong(route -> route.template().chars().filter(c -> c == '{').count()));
        JsonNode closed = spec.deepCopy();
        closed.get("components").get("schemas").forEach(ApiContract::close);
        schemas = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(),
                builder -> builder.schemas(Map.of(SPEC_IRI, closed.toString())));
    }

    /** Objects with named properties take no others: the server never sends a field its spec leaves out. */
    private static void close(JsonNode schema) {
        if (schema instanceof ObjectNode object && object.has("properties") && !object.has("additionalProperties")) {
            object.put("additionalProperties", false);
        }
    }

    /** Fails (AssertionError) unless the spec describes this response to this request. */
    public static void check(String method, String pathAndQuery, int status, String contentType, String body) {
        SPEC.verify(method.toLowerCase(Locale.ROOT), pathAndQuery.split("\\?", 2)[0], status, contentType, body);
    }

    private void verify(String sent, String path, int status, String contentType, String body) {
        String what = sent.toUpperCase(Locale.ROOT) + " " + path + " answered " + status;
        boolean head = sent.equals("head"); // a GET's answer without its body (RFC 9110), which OpenAPI leaves implied
        String method = head ? "get" : sent;
        List<Route> matching = routes.stream().filter(route -> route.pattern().matcher(path).matches()).toList();
        Route route = matching.stream().filter(r -> r.item().has(method)).findFirst().orElse(null);
        if (route == null) {
            int routeless = matching.isEmpty() ? 404 : 405;
            JsonNode anyRoute = spec.get("paths").get("/health").get("get").get("responses");
            if (status != routeless && (!anyRoute.has(String.valueOf(status)) || status < 400)) {
                throw new AssertionError(what + ": the spec has " + (matching.isEmpty() ? "no such route"
                        : "no " + method + " on " + matching.getFirst().template()) + ", so only " + routeless
                        + " or a problem every route may answer can describe it: " + body);
            }
            if (!head) {
                validate(what, "#/components/schemas/Problem", body);
            }
            return;
        }
        String pointer = "#/paths/" + escape(route.template()) + "/" + method + "/responses/";
        JsonNode responses = route.item().get(method).get("responses");
        String key = responses.has(String.valueOf(status)) ? String.valueOf(status) : "default";
        JsonNode response = responses.get(key);
        if (response == null) {
            throw new AssertionError(what + ", a status " + route.template() + " does not list in the spec: " + body);
        }
        JsonNode content = response.get("content");
        if (head) {
            return;
        }
        if (content == null || content.isEmpty()) {
            if (body != null && !body.isEmpty()) {
                throw new AssertionError(what + " with a body where the spec lists none: " + body);
            }
            return;
        }
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!content.has(mediaType)) {
            throw new AssertionError(what + " as '" + contentType + "', where the spec lists "
                    + content.properties().stream().map(Map.Entry::getKey).toList() + ": " + body);
        }
        if (mediaType.equals("application/json") || mediaType.endsWith("+json")) {
            validate(what, pointer + key + "/content/" + escape(mediaType) + "/schema", body);
        }
    }

    private void validate(String what, String pointer, String body) {
        Schema schema = compiled.computeIfAbsent(pointer, p -> schemas.getSchema(SchemaLocation.of(SPEC_IRI + p)));
        List<Error> errors = schema.validate(body, InputFormat.JSON);
        if (!errors.isEmpty()) {
            throw new AssertionError(what + " with a body the spec's schema (" + pointer + ") refuses: " + errors
                    + "\nbody: " + (body.length() > 2000 ? body.substring(0, 2000) + "…" : body));
        }
    }

    /** A JSON pointer token (RFC 6901). */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
