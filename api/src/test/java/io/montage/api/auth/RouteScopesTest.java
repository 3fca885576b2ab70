package io.montage.api.auth;

import io.micronaut.http.MediaType;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import io.montage.api.ApiServer;
import io.montage.apikeys.ApiKeyService;
import io.montage.apikeys.Scope;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.montage.api.ProblemAssertions.assertProblem;
import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every route of the running api, enumerated from Micronaut's router (a new route fails this test until it is in
 * the table below, with the scope docs/api.md gives it), called with a key of each single scope: 403
 * {@code insufficient_scope} exactly when the key lacks the route's scope.
 */
class RouteScopesTest {

    private static final String ANONYMOUS = "(no key)";
    private static final String ANY_KEY = "(any key)";

    /** "METHOD template [consumes]" → the scope it needs. */
    private static final Map<String, String> ROUTES = Map.ofEntries(
            entry("GET /health", ANONYMOUS),
            entry("GET /ready", ANONYMOUS),
            entry("GET /openapi.yml", ANONYMOUS),
            entry("GET /docs", ANONYMOUS),
            // the Prometheus exposition: served on the management port only (ADR 0026), never with a key
            entry("GET /prometheus", ANONYMOUS),
            entry("GET /v1/models", ANY_KEY),
            entry("GET /v1/models/{id}", ANY_KEY),
            entry("POST /v1/embeddings [application/json]", "inference"),
            entry("POST /v1/classify [application/json]", "inference"),
            entry("POST /v1/similarity [application/json]", "inference"),
            entry("POST /v1/predict [application/json]", "inference"),
            entry("POST /v1/embeddings [multipart/form-data]", "inference"),
            entry("POST /v1/classify [multipart/form-data]", "inference"),
            entry("POST /v1/similarity [multipart/form-data]", "inference"),
            entry("POST /v1/predict [multipart/form-data]", "inference"),
            entry("POST /v1/jobs [application/json]", "jobs:write"),
            entry("POST /v1/jobs [application/x-ndjson, application/jsonl]", "jobs:write"),
            entry("POST /v1/jobs [application/zip]", "jobs:write"),
            entry("GET /v1/jobs", "jobs:read"),
            entry("GET /v1/jobs/{id}", "jobs:read"),
            entry("GET /v1/jobs/{id}/items", "jobs:read"),
            entry("GET /v1/jobs/{id}/results", "jobs:read"),
            entry("GET /v1/jobs/{id}/errors", "jobs:read"),
            entry("POST /v1/jobs/{id}/cancel", "jobs:write"),
            entry("POST /v1/jobs/{id}/retry", "jobs:write"),
            entry("POST /v1/collections [application/json]", "collections:write"),
            entry("GET /v1/collections", "collections:read"),
            entry("GET /v1/collections/{name}", "collections:read"),
            entry("DELETE /v1/collections/{name}", "collections:write"),
            entry("POST /v1/collections/{name}/model [application/json]", "collections:write"),
            entry("POST /v1/collections/{name}/model/cancel", "collections:write"),
            entry("POST /v1/collections/{name}/items [application/json]", "collections:write"),
            entry("POST /v1/collections/{name}/items/delete [application/json]", "collections:write"),
            entry("DELETE /v1/collections/{name}/items/{id}", "collections:write"),
            entry("POST /v1/collections/{name}/search [application/json]", "collections:read"),
            entry("GET /v1/evaluations/{id}", "evaluations:read"));

    private static final Map<Scope, String> KEYS = new EnumMap<>(Scope.class);

    @BeforeAll
    static void oneKeyPerScope() {
        String slug = "t-" + UUID.randomUUID().toString().substring(0, 8);
        Tenant tenant = ApiServer.bean(TenantService.class).create(slug, slug);
        for (Scope scope : Scope.values()) {
            KEYS.put(scope, ApiServer.bean(ApiKeyService.class).create(tenant.id(), scope.wireName(), Set.of(scope), null)
                    .secret());
        }
    }

    /** The router's routes (error and status routes aside), by the key used in {@link #ROUTES}. */
    private static Map<String, UriRouteInfo<?, ?>> routes() {
        Map<String, UriRouteInfo<?, ?>> routes = new TreeMap<>();
        ApiServer.bean(Router.class).uriRoutes().forEach(route -> {
            String consumes = takesBody(route)
                    ? " " + route.getConsumes().stream().map(MediaType::toString).toList() : "";
            routes.put(route.getHttpMethodName() + " " + route.getUriMatchTemplate() + consumes, route);
        });
        return routes;
    }

    /** Whether the route takes a body: bound as an argument, or read from the request by the route (uploads). */
    private static boolean takesBody(UriRouteInfo<?, ?> route) {
        return route.getHttpMethod().permitsRequestBody() && (route.getBodyArgument().isPresent()
                || Arrays.stream(route.getTargetMethod().getArguments())
                .anyMatch(argument -> argument.getType() == io.micronaut.http.HttpRequest.class));
    }

    /** What a route needs; Micronaut answers HEAD for every GET route, under the GET route's rule. */
    private static String needed(String route) {
        return ROUTES.get(route.startsWith("HEAD ") ? "GET " + route.substring(5) : route);
    }

    @Test
    void everyRouteIsInTheScopeTable() {
        Set<String> running = new TreeSet<>(routes().keySet());
        running.removeIf(route -> route.startsWith("HEAD ") && running.contains("GET " + route.substring(5)));
        assertEquals(new TreeSet<>(ROUTES.keySet()), running,
                "routes of the running api vs this test's table (and docs/api.md's): add the new route to both");
    }

    @Test
    void everyRouteRefusesExactlyTheKeysThatLackItsScope() {
        List<String> wrong = new ArrayList<>();
        routes().forEach((name, route) -> {
            String needed = needed(name);
            for (Scope scope : Scope.values()) {
                Response response = call(route, KEYS.get(scope));
                boolean refused = !needed.equals(ANONYMOUS) && !needed.equals(ANY_KEY)
                        && !needed.equals(scope.wireName());
                if (refused) {
                    if (response.status() != 403) {
                        wrong.add(name + " with " + scope.wireName() + ": " + response.status() + " " + response.body());
                        continue;
                    }
                    if (name.startsWith("HEAD ")) {
                        continue; // no body to read
                    }
                    String detail = assertProblem(response.asApiResponse(), 403, "insufficient_scope").get("detail")
                            .getStringValue();
                    if (!detail.contains(needed)) {
                        wrong.add(name + " with " + scope.wireName() + ": the 403 does not name " + needed);
                    }
                } else if (response.status() == 401 || response.status() == 403) {
                    wrong.add(name + " with " + scope.wireName() + ": " + response.status() + " " + response.body());
                }
            }
        });
        assertEquals(List.of(), wrong);
    }

    @Test
    void aKeyWithoutTheScopeIsRefusedBeforeTheBodyIsRead() {
        // an empty body where the route wants one: the scope check answers first, so nothing is parsed or stored
        Response response = send("POST", "/v1/embeddings", "application/json", KEYS.get(Scope.JOBS_READ), "");
        assertProblem(response.asApiResponse(), 403, "insufficient_scope");
    }

    private record Response(int status, String contentType, String body) {
        ApiServer.Response asApiResponse() {
            return new ApiServer.Response(status, contentType, body);
        }
    }

    /** A request that matches the route: path variables filled with ids that exist nowhere, a minimal body. */
    private static Response call(UriRouteInfo<?, ?> route, String key) {
        Map<String, Object> variables = route.getUriMatchTemplate().getVariableNames().stream()
                .collect(Collectors.toMap(v -> v, v -> v.equals("id") && !route.getUriMatchTemplate().toString()
                        .contains("{name}") ? UUID.randomUUID().toString() : "nothing-" + v));
        String path = route.getUriMatchTemplate().expand(variables);
        if (!takesBody(route)) {
            return send(route.getHttpMethodName(), path, null, key, null);
        }
        MediaType type = route.getConsumes().getFirst();
        return send(route.getHttpMethodName(), path, type.toString(), key,
                type.equals(MediaType.APPLICATION_JSON_TYPE) ? "{}" : "");
    }

    private static Response send(String method, String path, String contentType, String key, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ApiServer.get().getURL() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + key);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<String> response = ApiServer.exchange(request.build());
        assertNotEquals(500, response.statusCode(), method + " " + path + ": " + response.body());
        return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body());
    }
}
