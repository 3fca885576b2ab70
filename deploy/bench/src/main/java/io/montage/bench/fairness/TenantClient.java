package io.montage.bench.fairness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** One tenant's calls, as its client makes them: JSON posts and gets with its key, over kept-alive HTTP/1.1. */
final class TenantClient {

    /** What came back and how long it took. */
    record Answer(int status, String body, double millis) {
    }

    /** Longer than the api's own 30 s sync timeout, so a slow answer comes back as the api's 504, not ours. */
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String api;
    private final String key;

    TenantClient(String api, String key) {
        this.api = api.replaceAll("/+$", "");
        this.key = key;
    }

    Answer postJson(String path, String json) throws InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
    }

    Answer postFile(String path, String contentType, Path file) throws InterruptedException, IOException {
        return send(request(path).header("Content-Type", contentType).timeout(Duration.ofMinutes(10))
                .POST(HttpRequest.BodyPublishers.ofFile(file)));
    }

    Answer get(String path) throws InterruptedException {
        return send(request(path).GET());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(api + path)).timeout(TIMEOUT).header("Authorization", "Bearer " + key);
    }

    private Answer send(HttpRequest.Builder request) throws InterruptedException {
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), (System.nanoTime() - start) / 1e6);
        } catch (IOException e) {
            return new Answer(-1, e.toString(), (System.nanoTime() - start) / 1e6);
        }
    }
}
