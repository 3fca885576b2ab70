package io.montage.bench.bulk;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** The documented bulk-job API, as a tenant uses it: upload JSONL, poll the job, stream the results. */
public final class JobClient {

    /** The job as GET /v1/jobs/{id} shows it. */
    public record JobState(String id, String status, long total, long succeeded, long failed, Instant createdAt,
                    Instant startedAt, Instant finishedAt) {
        public boolean terminal() {
            return switch (status) {
                case "succeeded", "failed", "cancelled" -> true;
                default -> false;
            };
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final JsonMapper json = JsonMapper.createDefault();
    private final String api;
    private final String key;

    public JobClient(String api, String key) {
        this.api = api.endsWith("/") ? api.substring(0, api.length() - 1) : api;
        this.key = key;
    }

    /** POST /v1/jobs?type=embed with the file as application/x-ndjson; returns the created job. */
    JobState upload(Path jsonl) throws IOException, InterruptedException {
        return upload(HttpRequest.BodyPublishers.ofFile(jsonl), Duration.ofMinutes(10));
    }

    /** The same for a body made as it is sent; {@code timeout} covers sending it all and the answer. */
    public JobState upload(HttpRequest.BodyPublisher jsonl, Duration timeout) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/v1/jobs?type=embed"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/x-ndjson")
                .timeout(timeout)
                .POST(jsonl)
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 201) {
            throw new IOException("upload answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return state(response.body());
    }

    public JobState get(String id) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/v1/jobs/" + id))
                .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(30)).GET().build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("GET job answered " + response.statusCode());
        }
        return state(response.body());
    }

    /** Polls every {@code intervalMs} until the job ends or {@code timeout} passes. */
    JobState await(String id, long intervalMs, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JobState state = get(id);
            if (state.terminal()) {
                return state;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("job " + id + " still " + state.status() + " after " + timeout);
            }
            Thread.sleep(intervalMs);
        }
    }

    /** Streams GET /v1/jobs/{id}/results: the number of lines, and the embeddings of the first {@code keep} items. */
    record Results(long lines, long bytes, Map<String, float[]> firstEmbeddings) {
    }

    Results results(String id, int keep) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/v1/jobs/" + id + "/results"))
                .header("Authorization", "Bearer " + key).timeout(Duration.ofMinutes(10)).GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IOException("GET results answered " + response.statusCode());
        }
        long lines = 0;
        long bytes = 0;
        Map<String, float[]> first = new HashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                lines++;
                bytes += line.length() + 1;
                if (first.size() < keep) {
                    JsonNode node = json.readValue(line, JsonNode.class);
                    JsonNode embedding = node.get("result").get("embedding");
                    float[] v = new float[embedding.size()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = embedding.get(i).getFloatValue();
                    }
                    first.put(node.get("custom_id").getStringValue(), v);
                }
            }
        }
        return new Results(lines, bytes, first);
    }

    private JobState state(byte[] body) throws IOException {
        JsonNode job = json.readValue(body, JsonNode.class);
        JsonNode counts = job.get("counts");
        return new JobState(job.get("id").getStringValue(), job.get("status").getStringValue(),
                counts.get("total").getLongValue(), counts.get("succeeded").getLongValue(),
                counts.get("failed").getLongValue(), instant(job, "created_at", "createdAt"),
                instant(job, "started_at", "startedAt"), instant(job, "finished_at", "finishedAt"));
    }

    /** docs/api.md shows snake_case; accept camelCase too rather than depend on the server's naming setting. */
    private static Instant instant(JsonNode job, String name, String alternative) {
        JsonNode node = job.get(name) != null ? job.get(name) : job.get(alternative);
        if (node == null || node.isNull()) {
            return null;
        }
        return node.isNumber() ? Instant.ofEpochMilli((long) (node.getDoubleValue() * 1000))
                : Instant.parse(node.getStringValue());
    }
}
