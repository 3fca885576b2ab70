package io.montage.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The tenant's side of the flow: the HTTP API called with one of its keys, every answer read as JSON. */
final class TenantApi {

    /** An answer: its status and its JSON body (a problem's {@code code} for an error). */
    record Answer(int status, JsonNode body) {
        String code() {
            return body.path("code").asText(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Adding images to a collection embeds them synchronously: seconds on a busy machine, never minutes. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String base;
    private final String key;

    TenantApi(String base, String key) {
        this.base = base;
        this.key = key;
    }

    Answer get(String path) {
        return send(request(path).GET());
    }

    /** POSTs {@code body} (a record, a map, a list…) as JSON. */
    Answer post(String path, Object body) {
        try {
            return send(request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** POSTs JSON lines, as a bulk job's upload. */
    Answer postLines(String path, String lines) {
        return send(request(path).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(lines)));
    }

    /** A GET whose answer is not JSON (a job's JSONL results). */
    String text(String path) {
        return exchange(request(path).GET()).body();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT).header("Authorization", "Bearer " + key);
    }

    private static Answer send(HttpRequest.Builder request) {
        HttpResponse<String> response = exchange(request);
        try {
            return new Answer(response.statusCode(), JSON.readTree(response.body().isEmpty() ? "{}" : response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    private static HttpResponse<String> exchange(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
