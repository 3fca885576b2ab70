package io.montage.bench.api;

import io.montage.bench.inputs.BenchImage;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * {@code POST /v1/embeddings} over java.net.http, HTTP/1.1 with kept-alive connections (one per concurrent
 * caller), the way an OpenAI-style client calls it. Thread-safe. Bodies are built before the clock starts, so the
 * client's own JSON work is not what gets measured.
 */
final class EmbeddingsClient {

    /** Longer than the api's own 30 s sync timeout: a slow answer should come back as its 504, not as ours. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);

    /** What came back, and when. */
    record Answer(int status, String body, double millis) {
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final URI endpoint;
    private final String key;
    private final String model;

    EmbeddingsClient(String apiUrl, String key, String model) {
        this.endpoint = URI.create(apiUrl.replaceAll("/+$", "") + "/v1/embeddings");
        this.key = key;
        this.model = model;
    }

    /** {@code {"model": …, "input": [{"image": "data:…"}, …], "encoding_format": …}} */
    byte[] body(List<BenchImage> images, String format) {
        return inputs(images.stream().map(image -> "{\"image\":\"" + image.dataUrl() + "\"}").toList(), format);
    }

    /** {@code {"model": …, "input": ["text", …], "encoding_format": …}}; the texts need no JSON escaping. */
    byte[] textBody(List<String> texts, String format) {
        return inputs(texts.stream().map(text -> "\"" + text + "\"").toList(), format);
    }

    private byte[] inputs(List<String> inputs, String format) {
        StringBuilder json = new StringBuilder("{");
        if (model != null) {
            json.append("\"model\":\"").append(model).append("\",");
        }
        json.append("\"input\":[").append(String.join(",", inputs));
        json.append("],\"encoding_format\":\"").append(format).append("\"}");
        return json.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    Answer post(byte[] body) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), (System.nanoTime() - start) / 1e6);
        } catch (IOException e) {
            return new Answer(-1, e.toString(), (System.nanoTime() - start) / 1e6);
        }
    }
}
