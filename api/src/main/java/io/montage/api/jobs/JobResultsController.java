package io.montage.api.jobs;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.montage.api.auth.TenantPrincipal;
import io.montage.jobs.JobOutcomeLines;
import io.montage.jobs.Jobs;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import io.montage.api.openapi.EdgeProblems;
import io.montage.api.openapi.KeyProblems;
import io.montage.api.openapi.NotFoundProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.UUID;

/**
 * A job's outcomes as JSONL, keyed by custom_id: {@code /results} (succeeded items) and {@code /errors} (failed
 * items), written by {@link JobOutcomeLines}. Streamed page by page from the database, so a million-item job never
 * sits in memory; available while the job runs (what has finished so far) and after a cancel.
 */
@Tag(name = "Jobs")
@EdgeProblems
@KeyProblems
@Controller("/v1/jobs")
public class JobResultsController {

    private static final String JSONL = "application/x-ndjson";

    private final Jobs jobs;
    private final JobOutcomeLines lines;

    public JobResultsController(Jobs jobs, JobOutcomeLines lines) {
        this.jobs = jobs;
        this.lines = lines;
    }

    @Operation(operationId = "getJobResults", summary = "The succeeded items as JSONL")
    @NotFoundProblem
    @Get(value = "/{id}/results", produces = JSONL)
    @Secured("jobs:read")
    public HttpResponse<Publisher<byte[]>> results(Authentication auth, @PathVariable UUID id) {
        return stream(TenantPrincipal.of(auth).tenantId(), id, "succeeded");
    }

    @Operation(operationId = "getJobErrors", summary = "The failed items as JSONL")
    @NotFoundProblem
    @Get(value = "/{id}/errors", produces = JSONL)
    @Secured("jobs:read")
    public HttpResponse<Publisher<byte[]>> errors(Authentication auth, @PathVariable UUID id) {
        return stream(TenantPrincipal.of(auth).tenantId(), id, "failed");
    }

    private HttpResponse<Publisher<byte[]>> stream(UUID tenantId, UUID jobId, String status) {
        jobs.get(tenantId, jobId); // 404 before the stream starts
        Flux<byte[]> pages = Flux.<byte[], Integer>generate(() -> -1, (after, sink) -> {
            JobOutcomeLines.Page page = lines.page(tenantId, jobId, status, after);
            if (page == null) {
                sink.complete();
                return after;
            }
            sink.next(page.lines());
            return page.lastSeq();
        }).subscribeOn(Schedulers.boundedElastic()); // JDBC blocks: never on the event loop
        return HttpResponse.ok((Publisher<byte[]>) pages).contentType(JSONL);
    }
}
