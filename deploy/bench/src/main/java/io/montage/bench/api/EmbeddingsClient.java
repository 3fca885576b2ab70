package io.montage.bench.api;

import io.montage.bench.inputs.BenchImage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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

    /** A request body and its content type. */
    record Body(byte[] bytes, String contentType) {
    }

    private static final String BOUNDARY = "----montage-bench";

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

    /**
     * {@code {"model": …, "input": [{"image": "data:…"}, …], "encoding_format": …}}; for {@code form}, the same as a
     * {@code multipart/form-data} upload with one file part per image (its bytes, no base64) and float embeddings.
     */
    Body body(List<BenchImage> images, String format) {
        if (format.equals("form")) {
            return form(images);
        }
        return inputs(images.stream().map(image -> "{\"image\":\"" + image.dataUrl() + "\"}").toList(), format);
    }

    /** {@code {"model": …, "input": ["text", …], "encoding_format": …}}; the texts need no JSON escaping. */
    Body textBody(List<String> texts, String format) {
        return inputs(texts.stream().map(text -> "\"" + text + "\"").toList(), format);
    }

    private Body inputs(List<String> inputs, String format) {
        StringBuilder json = new StringBuilder("{");
        if (model != null) {
            json.append("\"model\":\"").append(model).append("\",");
        }
        json.append("\"input\":[").append(String.join(",", inputs));
        json.append("],\"encoding_format\":\"").append(format).append("\"}");
        return new Body(json.toString().getBytes(StandardCharsets.US_ASCII), "application/json");
    }

    private Body form(List<BenchImage> images) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (model != null) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n" + model
                    + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        for (BenchImage image : images) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"input\"; filename=\""
                    + image.name() + "\"\r\nContent-Type: " + image.mediaType() + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.writeBytes(image.bytes());
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return new Body(out.toByteArray(), "multipart/form-data; boundary=" + BOUNDARY);
    }

    Answer post(Body body) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + key).header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build();
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), (System.nanoTime() - start) / 1e6);
        } catch (IOException e) {
            return new Answer(-1, e.toString(), (System.nanoTime() - start) / 1e6);
        }
    }
}
