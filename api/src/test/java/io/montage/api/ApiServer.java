package io.montage.api;

import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.montage.apikeys.ApiKeyService;
import io.montage.apikeys.Scope;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;
import io.montage.testing.FakeBundle;
import io.montage.testing.SharedContext;
import io.montage.testing.TestDatabase;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The api as it runs in production (Netty on a random port, real PostgreSQL), one per test JVM, and a plain
 * HTTP client that shows responses exactly as a tenant's client sees them.
 */
public final class ApiServer {

    private static EmbeddedServer server;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private ApiServer() {
    }

    public static synchronized EmbeddedServer get() {
        if (server == null) {
            Map<String, Object> properties = new java.util.HashMap<>(SharedContext.properties());
            properties.put("micronaut.server.port", -1);
            server = ApplicationContext.run(EmbeddedServer.class, properties, "test");
            TestDatabase.closeBeforeDrop(server);
        }
        return server;
    }

    /**
     * Another api on the shared one's database and model store, with these properties over the test ones (for
     * settings a test needs other than the shared api's); the caller closes it.
     */
    public static EmbeddedServer startAnother(Map<String, Object> overrides) {
        Map<String, Object> properties = new java.util.HashMap<>(SharedContext.properties());
        properties.put("montage.models.store", get().getEnvironment().getRequiredProperty("montage.models.store",
                String.class));
        properties.put("micronaut.server.port", -1);
        properties.putAll(overrides);
        return ApplicationContext.run(EmbeddedServer.class, properties, "test");
    }

    public static <T> T bean(Class<T> type) {
        return get().getApplicationContext().getBean(type);
    }

    public record Caller(Tenant tenant, String key) {
    }

    public static Caller newCaller(Set<Scope> scopes) {
        return newCaller(get().getApplicationContext(), scopes);
    }

    /** A new tenant with a key of these scopes, in the database of {@code context} (an api of its own). */
    public static Caller newCaller(ApplicationContext context, Set<Scope> scopes) {
        String slug = "t-" + UUID.randomUUID().toString().substring(0, 8);
        Tenant tenant = context.getBean(TenantService.class).create(slug, slug);
        return new Caller(tenant, context.getBean(ApiKeyService.class).create(tenant.id(), "test", scopes, null)
                .secret());
    }

    /** A model registered from a fake bundle and marked ready; no worker serves it unless a test says so. */
    public static Model readyModel(String namePrefix) throws IOException {
        return FakeBundle.registerReady(bean(ModelRegistry.class), namePrefix);
    }

    public record Response(int status, String contentType, String body, java.net.http.HttpHeaders headers) {

        /** A response read some other way (a raw socket, a stored document): no headers but its content type. */
        public Response(int status, String contentType, String body) {
            this(status, contentType, body, java.net.http.HttpHeaders.of(java.util.Map.of(), (name, value) -> true));
        }

        /** The value of a response header, or null. */
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public JsonNode json() {
            try {
                return bean(JsonMapper.class).readValue(body, JsonNode.class);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    public static Response send(String method, String path, String key, String jsonBody) {
        return send(method, path, key, jsonBody, null);
    }

    public static Response send(String method, String path, String key, String jsonBody, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(get().getURL() + path))
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request, key);
    }

    /** A body of any content type (multipart forms, uploads), sent as the bytes given. */
    public static Response sendBytes(String method, String path, String key, String contentType, byte[] body) {
        return send(HttpRequest.newBuilder(URI.create(get().getURL() + path))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", contentType), key);
    }

    private static Response send(HttpRequest.Builder request, String key) {
        if (key != null) {
            request.header("Authorization", key.contains(" ") ? key : "Bearer " + key);
        }
        HttpResponse<String> response = exchange(request.build());
        return new Response(response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""), response.body(), response.headers());
    }

    /**
     * Sends a request as built and returns the response as it came, once the contract test (ApiContract) has
     * checked it against the spec: every api test's request goes through here.
     */
    public static HttpResponse<String> exchange(HttpRequest request) {
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            URI uri = request.uri();
            ApiContract.check(request.method(), uri.getRawPath(), response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(null), response.body());
            return response;
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(request.method() + " " + request.uri() + " failed", e);
        }
    }
}
