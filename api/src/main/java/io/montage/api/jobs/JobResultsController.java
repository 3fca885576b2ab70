package io.montage.api.jobs;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.montage.api.auth.TenantPrincipal;
import io.montage.jobs.JobItem;
import io.montage.jobs.Jobs;
import io.montage.json.JsonCodec;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * A job's outcomes as JSONL, keyed by custom_id: {@code /results} (succeeded items) and {@code /errors} (failed
 * items). Streamed page by page from the database, so a million-item job never sits in memory; available while
 * the job runs (what has finished so far) and after a cancel.
 */
@Controller("/v1/jobs")
public class JobResultsController {

    private static final String JSONL = "application/x-ndjson";
    private static final int PAGE = 500;

    @Serdeable
    record Error(String customId, int index, ErrorBody error) {
    }

    @Serdeable
    record ErrorBody(String code, String message) {
    }

    private final Jobs jobs;
    private final JsonCodec json;

    public JobResultsController(Jobs jobs, JsonCodec json) {
        this.jobs = jobs;
        this.json = json;
    }

    @Get(value = "/{id}/results", produces = JSONL)
    @Secured("jobs:read")
    public HttpResponse<Publisher<byte[]>> results(Authentication auth, @PathVariable UUID id) {
        return stream(TenantPrincipal.of(auth).tenantId(), id, "succeeded");
    }

    @Get(value = "/{id}/errors", produces = JSONL)
    @Secured("jobs:read")
    public HttpResponse<Publisher<byte[]>> errors(Authentication auth, @PathVariable UUID id) {
        return stream(TenantPrincipal.of(auth).tenantId(), id, "failed");
    }

    private HttpResponse<Publisher<byte[]>> stream(UUID tenantId, UUID jobId, String status) {
        jobs.get(tenantId, jobId); // 404 before the stream starts
        Flux<byte[]> pages = Flux.<byte[], Integer>generate(() -> -1, (after, sink) -> {
            List<JobItem> page = jobs.items(tenantId, jobId, status, after, PAGE);
            if (page.isEmpty()) {
                sink.complete();
                return after;
            }
            sink.next(lines(page));
            return page.getLast().seq();
        }).subscribeOn(Schedulers.boundedElastic()); // JDBC blocks: never on the event loop
        return HttpResponse.ok((Publisher<byte[]>) pages).contentType(JSONL);
    }

    private byte[] lines(List<JobItem> page) {
        StringBuilder out = new StringBuilder(page.size() * 256);
        for (JobItem item : page) {
            if (item.errorCode() == null) {
                // the worker's result JSON, stored as json text, goes out verbatim: parsing and re-printing every
                // float of an embedding was the download's main cost
                out.append("{\"custom_id\":").append(item.customId() == null ? "null" : json.write(item.customId()))
                        .append(",\"index\":").append(item.seq())
                        .append(",\"result\":").append(item.resultJson()).append('}');
            } else {
                out.append(json.write(new Error(item.customId(), item.seq(),
                        new ErrorBody(item.errorCode(), item.errorMessage()))));
            }
            out.append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
