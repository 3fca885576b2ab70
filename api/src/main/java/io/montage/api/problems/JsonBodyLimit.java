package io.montage.api.problems;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * JSON bodies are read whole into memory, uploads (JSONL) are streamed: the server-wide request limit is sized for
 * uploads, and this keeps JSON bodies to montage.api.max-json-bytes (when the client declares the length).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class JsonBodyLimit {

    private final long maxJsonBytes;

    public JsonBodyLimit(@Value("${montage.api.max-json-bytes:16777216}") long maxJsonBytes) {
        this.maxJsonBytes = maxJsonBytes;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<Problem> limit(HttpRequest<?> request) {
        boolean json = request.getContentType().map(t -> t.matches(MediaType.APPLICATION_JSON_TYPE)).orElse(false);
        if (json && request.getContentLength() > maxJsonBytes) {
            return Problem.of(413, "request_too_large", "a JSON body may be at most " + maxJsonBytes
                    + " bytes; upload large jobs as JSONL (Content-Type: application/x-ndjson)").toResponse();
        }
        return null;
    }
}
