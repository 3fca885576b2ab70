package io.montage.api.metrics;

import io.micronaut.runtime.server.EmbeddedServer;
import io.montage.api.ApiServer;
import io.montage.apikeys.Scope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.montage.api.ApiServer.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Prometheus exposition on the api's management port (ADR 0026), scraped as Prometheus does: the series exist
 * and move with the requests, and the public port does not serve them.
 */
class PrometheusEndpointTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    /** An api of its own: its counters move only with this test's requests, its queue gauge refreshes quickly. */
    private static EmbeddedServer api;

    @BeforeAll
    static void start() {
        api = ApiServer.startAnother(Map.of("montage.metrics.queue-depth-every", "200ms"));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static HttpResponse<String> get(String url) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(url, e);
        }
    }

    private static String scrape() {
        HttpResponse<String> response = get(ApiServer.managementUrl(api) + "/prometheus");
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                response.headers().toString());
        return response.body();
    }

    /** The value of the first series of {@code name} whose labels contain every one of {@code labels}. */
    private static OptionalDouble value(String exposition, String name, String... labels) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{(.*)} (\\S+)$").matcher(exposition);
        while (line.find()) {
            String found = line.group(1);
            boolean all = true;
            for (String label : labels) {
                all &= found.contains(label);
            }
            if (all) {
                return OptionalDouble.of(Double.parseDouble(line.group(2)));
            }
        }
        return OptionalDouble.empty();
    }

    /**
     * The series once it reaches {@code atLeast}: the server records a request's timer as its response completes,
     * which may be just after the client has read it.
     */
    private static double eventually(double atLeast, String name, String... labels) throws InterruptedException {
        double seen = Double.NaN;
        for (int i = 0; i < 50; i++) {
            seen = value(scrape(), name, labels).orElse(Double.NaN);
            if (seen >= atLeast) {
                return seen;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " " + String.join(",", labels) + " stayed at " + seen + " < " + atLeast
                + " in " + scrape().lines().filter(line -> line.startsWith(name)).toList());
    }

    @Test
    void aRequestMovesItsRoutesLatencyCountByTemplateAndStatus() throws InterruptedException {
        get(api.getURL() + "/health");
        double before = eventually(1, "http_server_requests_seconds_count", "uri=\"/health\"", "status=\"200\"");
        get(api.getURL() + "/health");
        get(api.getURL() + "/health");
        assertEquals(before + 2, eventually(before + 2, "http_server_requests_seconds_count", "uri=\"/health\"",
                "status=\"200\""));
        assertTrue(value(scrape(), "http_server_requests_seconds_sum", "uri=\"/health\"").orElseThrow() > 0);
    }

    @Test
    void routesAreLabelledByTheirTemplateNotTheRawPath() throws InterruptedException {
        ApiServer.Caller caller = ApiServer.newCaller(api.getApplicationContext(), EnumSet.allOf(Scope.class));
        String id = submitEchoJob(caller);
        assertEquals(200, call("GET", "/v1/jobs/" + id, caller, null).statusCode());
        assertEquals(404, call("GET", "/v1/jobs/" + java.util.UUID.randomUUID(), caller, null).statusCode());
        eventually(1, "http_server_requests_seconds_count", "uri=\"/v1/jobs/{id}\"", "status=\"200\"");
        String exposition = scrape();
        // Micronaut folds every 404 into one series: unknown paths cannot grow the exposition
        assertTrue(value(exposition, "http_server_requests_seconds_count", "uri=\"NOT_FOUND\"",
                "status=\"404\"").isPresent(), exposition);
        assertTrue(!exposition.contains(id), "a raw path reached a label");
    }

    private static HttpResponse<String> call(String method, String path, ApiServer.Caller caller, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.getURL() + path))
                .header("Authorization", "Bearer " + caller.key())
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return CLIENT.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).join();
    }

    /** A one-item echo job (no worker runs here: its task stays queued); its id. */
    private static String submitEchoJob(ApiServer.Caller caller) {
        HttpResponse<String> submitted = call("POST", "/v1/jobs", caller,
                "{\"type\":\"echo\",\"items\":[{\"input\":1}]}");
        assertEquals(201, submitted.statusCode(), submitted.body());
        return new ApiServer.Response(201, "", submitted.body()).json().get("id").getStringValue();
    }

    @Test
    void aRefusalIsCountedByItsCode() {
        double before = value(scrape(), "montage_api_rejections_total", "code=\"missing_api_key\"").orElse(0);
        HttpResponse<String> refused = get(api.getURL() + "/v1/models");
        assertEquals(401, refused.statusCode());
        assertTrue(refused.body().contains("\"code\":\"missing_api_key\""), refused.body());
        assertEquals(before + 1, value(scrape(), "montage_api_rejections_total", "code=\"missing_api_key\"",
                "status=\"401\"").orElseThrow());
    }

    @Test
    void theQueueDepthIsReadPerPriorityAndTenant() throws InterruptedException {
        ApiServer.Caller caller = ApiServer.newCaller(api.getApplicationContext(), EnumSet.allOf(Scope.class));
        submitEchoJob(caller);
        String tenant = "tenant=\"" + caller.tenant().slug() + "\"";
        OptionalDouble depth = OptionalDouble.empty();
        for (int i = 0; i < 50 && depth.isEmpty(); i++) { // refreshed every 200 ms here
            Thread.sleep(100);
            depth = value(scrape(), "montage_queue_items", tenant, "priority=\"bulk\"");
        }
        assertEquals(1.0, depth.orElseThrow(() -> new AssertionError("no queue depth for " + tenant)));
        assertEquals(1.0, value(scrape(), "montage_queue_jobs", tenant, "priority=\"bulk\"").orElseThrow());
    }

    @Test
    void theConnectionPoolIsMeasured() {
        assertTrue(value(scrape(), "hikaricp_connections_max", "pool=\"montage\"").orElseThrow() >= 1);
    }

    @Test
    void thePublicPortDoesNotServeTheMetrics() {
        HttpResponse<String> response = get(api.getURL() + "/prometheus");
        assertEquals(404, response.statusCode());
        assertTrue(!response.body().contains("jvm_"), response.body());
    }
}
