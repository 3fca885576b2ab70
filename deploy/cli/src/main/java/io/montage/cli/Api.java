package io.montage.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.montage.client.ApiClient;
import io.montage.client.ApiException;
import io.montage.client.api.CollectionsApi;
import io.montage.client.api.JobsApi;
import io.montage.client.api.ModelsApi;
import io.montage.client.model.Problem;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * One tenant's connection to the api. Most calls go through the client generated from the api's spec
 * ({@code io.montage.client}, ADR 0029); the few it cannot make — a streamed zip or JSONL upload, a JSONL download,
 * a JSON body for an operation that also takes a form — go through {@link #send} with java.net.http, reading and
 * writing the generated model classes. Either way a refusal becomes a {@link CliFailure} with the problem's code
 * and detail.
 */
public final class Api {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Settings settings;
    private final HttpClient http;
    private final ApiClient client;

    Api(Settings settings) {
        this.settings = settings;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1);
        this.http = builder.build();
        this.client = new ApiClient(builder, ApiClient.createDefaultObjectMapper(), settings.url().toString());
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + settings.key()));
        client.setConnectTimeout(CONNECT_TIMEOUT);
    }

    public JobsApi jobs() {
        return new JobsApi(client);
    }

    public CollectionsApi collections() {
        return new CollectionsApi(client);
    }

    public ModelsApi models() {
        return new ModelsApi(client);
    }

    /** The generated client's JSON mapper (snake_case wire names, java.time). */
    public ObjectMapper json() {
        return client.getObjectMapper();
    }

    /** A call through the generated client, its refusal as a {@link CliFailure}. */
    public <T> T call(Call<T> call) {
        try {
            return call.run();
        } catch (ApiException e) {
            if (e.getCode() == 0) {
                throw unreachable(e.getCause() == null ? e : e.getCause());
            }
            throw refusal(e.getCode(), e.getResponseBody());
        }
    }

    /** A request built here (path and query relative to the api's URL), answered as JSON into the type. */
    public <T> T send(HttpRequest.Builder request, Class<T> type) {
        HttpResponse<InputStream> response = exchange(request);
        try (InputStream body = response.body()) {
            return json().readValue(body, type);
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.UNAVAILABLE, "the api's answer could not be read: " + e.getMessage());
        }
    }

    /** A streamed download (UTF-8 JSONL) written to the file, or copied to the writer when the file is null. */
    public long download(String path, Path file, Writer out) {
        HttpResponse<InputStream> response = exchange(request(path).setHeader("Accept", "application/x-ndjson")
                .GET());
        try (InputStream body = response.body()) {
            if (file == null) {
                return new InputStreamReader(body, StandardCharsets.UTF_8).transferTo(out);
            }
            return Files.copy(body, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("download of " + path + " broke off", e);
        }
    }

    /** A request to this path and query ({@code /v1/...}), with the key. */
    public HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(settings.url() + pathAndQuery))
                .header("Authorization", "Bearer " + settings.key()).header("Accept", "application/json");
    }

    public URI url() {
        return settings.url();
    }

    private HttpResponse<InputStream> exchange(HttpRequest.Builder request) {
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(ExitCodes.UNAVAILABLE, "interrupted");
        }
        if (response.statusCode() >= 400) {
            try (InputStream body = response.body()) {
                throw refusal(response.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw refusal(response.statusCode(), "");
            }
        }
        return response;
    }

    private CliFailure unreachable(Throwable cause) {
        return new CliFailure(ExitCodes.UNAVAILABLE, "cannot reach the api at " + settings.url() + " ("
                + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage())
                + "): is it running, and is MONTAGE_API_URL right?");
    }

    /** The problem JSON's code and detail, or the status alone when the body is no problem. */
    private CliFailure refusal(int status, String body) {
        int exit = status >= 500 ? ExitCodes.UNAVAILABLE : ExitCodes.REFUSED;
        try {
            Problem problem = json().readValue(body, Problem.class);
            if (problem.getCode() != null) {
                return new CliFailure(exit, problem.getCode() + " (HTTP " + status + "): " + problem.getDetail()
                        + (problem.getRequestId() == null ? "" : " [request " + problem.getRequestId() + "]"));
            }
        } catch (IOException | RuntimeException e) {
            // not problem JSON: say what came back
        }
        return new CliFailure(exit, "HTTP " + status + " from " + settings.url()
                + (body == null || body.isBlank() ? "" : ": " + body.substring(0, Math.min(body.length(), 200))));
    }

    /** A call of the generated client. */
    @FunctionalInterface
    public interface Call<T> {
        T run() throws ApiException;
    }
}
