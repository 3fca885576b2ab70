package io.montage.api.jobs;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.ServerHttpRequest;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.montage.json.JsonCodec;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.montage.api.auth.TenantPrincipal;
import io.montage.api.tracing.RequestIds;
import io.montage.errors.MontageException;
import io.montage.jobs.Job;
import io.montage.jobs.JobItem;
import io.montage.jobs.JobIntake;
import io.montage.jobs.JobRetries;
import io.montage.jobs.JobStatus;
import io.montage.jobs.Jobs;
import io.montage.jobs.NewItem;
import io.montage.jobs.NewJob;
import io.montage.jobs.Priority;
import io.montage.api.openapi.ConflictProblem;
import io.montage.api.openapi.EdgeProblems;
import io.montage.api.openapi.KeyProblems;
import io.montage.api.openapi.NotFoundProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** Jobs of the calling tenant: submit, read, list, cancel, retry failed items, and read item outcomes. */
@Tag(name = "Jobs")
@EdgeProblems
@KeyProblems
@Controller("/v1/jobs")
public class JobController {

    private static final int MAX_PAGE = 1000;
    private static final String JSONL = "application/x-ndjson";
    /** The spec's one operation for the three bodies: the generator takes a summary from each method's comment. */
    private static final String JOB_SUBMISSION = "Submit a job: inline JSON items, a JSONL file or a zip of images";

    private final JobIntake queue;
    private final JobRetries retries;
    private final Jobs jobs;
    private final JobSubmissions submissions;
    private final UploadSlots uploadSlots;
    private final JsonCodec json;

    public JobController(JobIntake queue, JobRetries retries, Jobs jobs, JobSubmissions submissions,
                         UploadSlots uploadSlots, JsonCodec json) {
        this.queue = queue;
        this.retries = retries;
        this.jobs = jobs;
        this.submissions = submissions;
        this.uploadSlots = uploadSlots;
        this.json = json;
    }

    @Operation(operationId = "createJob", summary = JOB_SUBMISSION)
    @JobSubmissionResponses
    @ConflictProblem
    @NotFoundProblem
    @Post
    @Consumes(MediaType.APPLICATION_JSON)
    @Secured("jobs:write")
    public HttpResponse<JobView> create(Authentication auth, @Body CreateJobRequest request,
                                        @Nullable @Header("Idempotency-Key") String idempotencyKey,
                                        HttpRequest<?> http) {
        TenantPrincipal caller = TenantPrincipal.of(auth);
        ItemSchema schema = submissions.schema(request.type(), caller);
        List<NewItem> items = submissions.inline(request.items(), schema);
        byte[] hash = JobSubmissions.sha256().digest(json.write(request).getBytes(StandardCharsets.UTF_8));
        return respond(submissions.submit(caller.tenantId(), new JobSubmissions.Params(request.type(), request.model(),
                request.collection(), request.labels(), request.templates(), request.truncate(), request.topK(),
                RequestIds.of(http)), items.iterator(), idempotencyKey, () -> hash));
    }

    /** A JSONL file, one item per line, streamed straight into the queue; the job's fields are query parameters. */
    @Operation(operationId = "createJob", summary = JOB_SUBMISSION)
    @JobSubmissionResponses
    @ConflictProblem
    @NotFoundProblem
    @Post
    @Consumes({JSONL, "application/jsonl"})
    @Secured("jobs:write")
    @RequestBody(required = true, content = {@Content(mediaType = JSONL, schema = @Schema(type = "string",
            format = "binary")), @Content(mediaType = "application/jsonl", schema = @Schema(type = "string",
            format = "binary"))})
    public HttpResponse<JobView> upload(Authentication auth, HttpRequest<?> request, @QueryValue @Nullable String type,
                                        @QueryValue @Nullable String model, @QueryValue @Nullable String collection,
                                        @QueryValue @Nullable List<String> labels,
                                        @QueryValue @Nullable List<String> templates,
                                        @QueryValue @Nullable String truncate,
                                        @QueryValue("top_k") @Nullable Integer topK,
                                        @Nullable @Header("Idempotency-Key") String idempotencyKey) {
        try (Upload upload = new Upload(TenantPrincipal.of(auth),
                new JobSubmissions.Params(type, model, collection, labels, templates, truncate, topK,
                        RequestIds.of(request)), request)) {
            return respond(submissions.submit(upload.tenantId, upload.params,
                    submissions.lines(upload.hashed, upload.schema), idempotencyKey, upload.digest::digest));
        }
    }

    /**
     * A zip of images (plus an optional metadata.jsonl), streamed; each image is an item named by its path.
     * Metadata is attached to ingest items, and texts to predict items, once the whole archive is read.
     */
    @Operation(operationId = "createJob", summary = JOB_SUBMISSION)
    @JobSubmissionResponses
    @ConflictProblem
    @NotFoundProblem
    @Post
    @Consumes("application/zip")
    @Secured("jobs:write")
    @RequestBody(required = true, content = @Content(mediaType = "application/zip", schema = @Schema(type = "string",
            format = "binary")))
    public HttpResponse<JobView> uploadZip(Authentication auth, HttpRequest<?> request, @QueryValue @Nullable String type,
                                           @QueryValue @Nullable String model, @QueryValue @Nullable String collection,
                                           @QueryValue @Nullable List<String> labels,
                                           @QueryValue @Nullable List<String> templates,
                                           @QueryValue("top_k") @Nullable Integer topK,
                                           @Nullable @Header("Idempotency-Key") String idempotencyKey) {
        try (Upload upload = new Upload(TenantPrincipal.of(auth),
                new JobSubmissions.Params(type, model, collection, labels, templates, null, topK,
                        RequestIds.of(request)), request)) {
            return respond(submissions.zip(upload.tenantId, upload.params, upload.hashed, upload.schema,
                    idempotencyKey, upload.digest::digest));
        }
    }

    /**
     * An upload being read: its item schema, the request hash (parameters, then every body byte), and the upload
     * slot it holds until closed. The type and the caller's scopes are checked and the slot is taken before the
     * body is opened: a refused upload is answered before a client that waits for {@code 100 Continue} sends it.
     */
    private final class Upload implements AutoCloseable {
        final UUID tenantId;
        final JobSubmissions.Params params;
        final ItemSchema schema;
        final MessageDigest digest = JobSubmissions.sha256();
        final InputStream hashed;
        private final UploadSlots.Slot slot;

        Upload(TenantPrincipal caller, JobSubmissions.Params params, HttpRequest<?> request) {
            this.tenantId = caller.tenantId();
            this.params = params;
            this.schema = submissions.schema(params.type(), caller);
            digest.update(json.write(params).getBytes(StandardCharsets.UTF_8));
            this.slot = uploadSlots.take(tenantId);
            try { // the server's requests are ServerHttpRequests; opening the body asks the client for it
                this.hashed = JobSubmissions.hashing(((ServerHttpRequest<?>) request).byteBody().toInputStream(),
                        digest);
            } catch (RuntimeException e) {
                slot.close();
                throw e;
            }
        }

        @Override
        public void close() {
            slot.close();
        }
    }

    private static HttpResponse<JobView> respond(JobSubmissions.Submitted submitted) {
        JobView view = JobView.of(submitted.job());
        return submitted.created() ? HttpResponse.created(view, URI.create("/v1/jobs/" + view.id())) : HttpResponse.ok(view);
    }

    @Operation(operationId = "getJob", summary = "A job's status and counts")
    @NotFoundProblem
    @Get("/{id}")
    @Secured("jobs:read")
    public JobView get(Authentication auth, @PathVariable UUID id) {
        return JobView.of(jobs.get(TenantPrincipal.of(auth).tenantId(), id));
    }

    @Operation(operationId = "listJobs", summary = "The tenant's jobs, newest first")
    @Get
    @Secured("jobs:read")
    public JobList list(Authentication auth, @Nullable @QueryValue String status, @Nullable @QueryValue UUID after,
                        @Nullable @QueryValue Integer limit) {
        int pageSize = pageSize(limit, 20);
        List<Job> page = jobs.list(TenantPrincipal.of(auth).tenantId(), parseStatus(status), after, pageSize + 1);
        boolean more = page.size() > pageSize;
        List<Job> shown = more ? page.subList(0, pageSize) : page;
        return new JobList("list", shown.stream().map(JobView::of).toList(), more,
                more ? shown.getLast().id() : null);
    }

    /** Stopping a job takes the scopes starting it takes (cancelling a model switch's job is collection work). */
    @Operation(operationId = "cancelJob", summary = "Cancel a job")
    @NotFoundProblem
    @ConflictProblem
    @Post("/{id}/cancel")
    @Secured("jobs:write")
    public JobView cancel(Authentication auth, @PathVariable UUID id) {
        TenantPrincipal caller = TenantPrincipal.of(auth);
        JobScopes.require(jobs.get(caller.tenantId(), id).type(), caller);
        return JobView.of(queue.cancel(caller.tenantId(), id));
    }

    /**
     * Runs a finished job's items again that failed for the platform's reasons ({@link JobRetries#RETRYABLE_CODES}),
     * in the same job: the scopes of starting it, 202 with the job queued again. Only a job a tenant submitted: the
     * jobs the api starts itself (a synchronous request, a model switch, an evaluation run) are retried by starting
     * them again, so that no finished run or answered request changes under its reader.
     */
    @Operation(operationId = "retryJob", summary = "Run a finished job's items again that failed for the platform's "
            + "reasons (worker_crashed, task_failed, no_result, internal_error)")
    @ApiResponse(responseCode = "202", description = "the job is queued again with those items pending",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class)))
    @NotFoundProblem
    @ConflictProblem
    @Post("/{id}/retry")
    @Secured("jobs:write")
    public HttpResponse<JobView> retry(Authentication auth, @PathVariable UUID id) {
        TenantPrincipal caller = TenantPrincipal.of(auth);
        String type = jobs.get(caller.tenantId(), id).type();
        JobScopes.require(type, caller);
        if (!JobScopes.SUBMITTABLE.containsKey(type)) {
            throw MontageException.conflict("job_not_retryable", "a " + type + " job is started by the api itself; "
                    + "send the request again or start a new run instead");
        }
        return HttpResponse.accepted().body(JobView.of(retries.retryFailed(caller.tenantId(), id)));
    }

    @Operation(operationId = "listJobItems", summary = "A job's items with their results and errors")
    @NotFoundProblem
    @Get("/{id}/items")
    @Secured("jobs:read")
    public ItemPage items(Authentication auth, @PathVariable UUID id, @Nullable @QueryValue String status,
                          @Nullable @QueryValue Integer after, @Nullable @QueryValue Integer limit) {
        if (status != null && !List.of("pending", "succeeded", "failed", "cancelled").contains(status)) {
            throw MontageException.invalid("invalid_item_status",
                    "status must be one of pending, succeeded, failed, cancelled");
        }
        int pageSize = pageSize(limit, 100);
        List<JobItem> page = jobs.items(TenantPrincipal.of(auth).tenantId(), id, status,
                after == null ? -1 : after, pageSize + 1);
        boolean more = page.size() > pageSize;
        List<JobItem> shown = more ? page.subList(0, pageSize) : page;
        return new ItemPage("list", shown.stream().map(this::view).toList(), more,
                more ? shown.getLast().seq() : null);
    }

    private ItemView view(JobItem item) {
        return new ItemView(item.seq(), item.customId(), item.status(),
                item.resultJson() == null ? null : json.read(item.resultJson(), JsonNode.class),
                item.errorCode() == null ? null : new ItemView.ItemError(item.errorCode(), item.errorMessage()));
    }

    private static int pageSize(Integer limit, int fallback) {
        if (limit == null) {
            return fallback;
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw MontageException.invalid("invalid_limit", "limit must be between 1 and " + MAX_PAGE);
        }
        return limit;
    }

    private static JobStatus parseStatus(String status) {
        if (status == null) {
            return null;
        }
        return Arrays.stream(JobStatus.values()).filter(s -> s.wireName().equals(status)).findFirst()
                .orElseThrow(() -> MontageException.invalid("invalid_job_status",
                        "status must be one of queued, running, succeeded, failed, cancelled"));
    }
}
