package io.montage.api.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.server.HttpServerConfiguration;
import io.montage.api.problems.Problem;
import jakarta.inject.Singleton;

import java.util.Locale;
import java.util.Set;

/**
 * The size a request body may have. Uploads (JSONL, zip) are streamed into the queue and may be as large as the
 * server's request limit; every other body is JSON, read whole into memory, and held to the JSON limit.
 */
@Singleton
class BodyLimits {

    /** The content types JobController streams; keep in step with its {@code @Consumes}. */
    private static final Set<String> STREAMED = Set.of("application/x-ndjson", "application/jsonl", "application/zip");
    private static final long MIB = 1L << 20;

    private final long maxJsonBytes;
    private final long maxUploadBytes;

    BodyLimits(JsonBodyLimits json, HttpServerConfiguration server) {
        this.maxJsonBytes = json.maxJsonBytes();
        this.maxUploadBytes = server.getMaxRequestSize();
    }

    long maxBytes(@Nullable String contentType) {
        return streamed(contentType) ? maxUploadBytes : maxJsonBytes;
    }

    Problem tooLarge(@Nullable String contentType) {
        return streamed(contentType) ? uploadTooLarge() : jsonTooLarge();
    }

    private Problem jsonTooLarge() {
        return Problem.of(413, "request_too_large", "a JSON body may be at most " + size(maxJsonBytes)
                + "; upload large jobs as JSONL (Content-Type: application/x-ndjson)");
    }

    private Problem uploadTooLarge() {
        return Problem.of(413, "request_too_large", "an upload may be at most " + size(maxUploadBytes)
                + "; split it into several jobs");
    }

    private static boolean streamed(@Nullable String contentType) {
        return contentType != null
                && STREAMED.contains(contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT));
    }

    private static String size(long bytes) {
        if (bytes >= MIB && bytes % MIB == 0) {
            long mib = bytes / MIB;
            return (mib % 1024 == 0 ? mib / 1024 + " GiB" : mib + " MiB") + " (" + bytes + " bytes)";
        }
        return bytes + " bytes";
    }
}
