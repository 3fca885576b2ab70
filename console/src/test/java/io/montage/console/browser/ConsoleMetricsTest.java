package io.montage.console.browser;

import io.montage.metrics.MetricsExposition;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console's Prometheus exposition (montage.metrics.port, ADR 0026): its pool and JVM, on a port of its own. */
class ConsoleMetricsTest {

    private static HttpResponse<String> get(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(url, e);
        }
    }

    @Test
    void theConsoleExposesItsConnectionPoolAndJvm() {
        int port = Console.bean(MetricsExposition.class).port().orElseThrow();
        HttpResponse<String> scraped = get("http://127.0.0.1:" + port + "/metrics");
        assertEquals(200, scraped.statusCode());
        assertTrue(scraped.body().lines().anyMatch(line -> line.startsWith("hikaricp_connections_max{")
                && line.contains("pool=\"montage\"")), scraped.body());
        assertTrue(scraped.body().contains("jvm_memory_used_bytes"), "no JVM series");
        assertTrue(get(Console.url() + "metrics").statusCode() != 200 || !get(Console.url() + "metrics").body()
                .contains("jvm_"), "the console's own port serves the metrics");
    }
}
