package io.montage.api.inference;

import io.micronaut.http.context.ServerRequestContext;
import io.montage.api.admission.ModelBacklog;
import io.montage.api.tracing.RequestIds;
import io.montage.errors.MontageException;
import io.montage.jobs.InteractiveJobs;
import io.montage.jobs.JobItem;
import io.montage.jobs.contracts.EmbedJob;
import io.montage.jobs.contracts.ItemSource;
import io.montage.jobs.contracts.JobCodec;
import io.montage.jobs.contracts.JobContract;
import io.montage.jobs.NewItem;
import io.montage.jobs.NewJob;
import io.montage.jobs.Priority;
import io.montage.models.Model;
import io.montage.models.ModelManifest;
import io.montage.models.ModelRegistry;
import io.montage.quotas.Quotas;
import io.montage.workers.WorkerNode;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A synchronous request is a small job like any other, queued ahead of bulk work and awaited with LISTEN/NOTIFY:
 * one path through the workers for all traffic, with the same retries and the same per-item errors.
 */
@Singleton
public class SyncInference {

    /** A finished request: the model that ran it and one result per input, in order. */
    public record Outcome<R>(Model model, List<R> results) {
    }

    private final ModelLookups models;
    private final WorkerLiveness workers;
    private final InteractiveJobs interactive;
    private final InferenceLimits limits;
    private final JobCodec codec;
    private final Quotas quotas;
    private final ModelBacklog backlog;

    public SyncInference(ModelLookups models, WorkerLiveness workers, InteractiveJobs interactive,
                         InferenceLimits limits, JobCodec codec, Quotas quotas, ModelBacklog backlog) {
        this.models = models;
        this.workers = workers;
        this.interactive = interactive;
        this.limits = limits;
        this.codec = codec;
        this.quotas = quotas;
        this.backlog = backlog;
    }

    /**
     * The named clip model, or the tenant's default when the request names none or {@value
     * ModelRegistry#DEFAULT_ALIAS}: what embeddings, zero-shot
     * classification, similarity and collections need. A fused model is refused (422 model_kind_mismatch).
     */
    public Model model(UUID tenantId, String reference) {
        return ofKind(find(tenantId, reference), ModelManifest.CLIP, "embeds texts and images");
    }

    /** As {@link #model}, a fused model: what {@code POST /v1/predict} needs. */
    public Model fusedModel(UUID tenantId, String reference) {
        return ofKind(find(tenantId, reference), ModelManifest.FUSED, "predicts from an image and a text together");
    }

    private Model find(UUID tenantId, String reference) {
        if (reference != null && !reference.isBlank() && !reference.equals(ModelRegistry.DEFAULT_ALIAS)) {
            return models.resolve(reference);
        }
        return models.tenantDefault(tenantId).orElseThrow(() -> MontageException.invalid("model_required",
                "name a model (GET /v1/models lists them); this tenant has no default model"));
    }

    private static Model ofKind(Model model, String kind, String what) {
        if (!model.manifest().kind().equals(kind)) {
            throw MontageException.invalid("model_kind_mismatch", model.reference() + " is a "
                    + model.manifest().kind() + " model; this endpoint needs a " + kind + " model (one that " + what
                    + "); GET /v1/models shows each model's kind");
        }
        return model;
    }

    /**
     * Runs one job of {@code contract}'s type with {@code inputs} as its items, and waits for its results; at most
     * {@code montage.inference-api.max-items} inputs.
     */
    public <P, I, R> Outcome<R> run(UUID tenantId, Model model, JobContract<P, I, R> contract, P params,
                                    List<I> inputs) throws InterruptedException {
        return run(tenantId, model, contract, params, inputs, limits.maxItems());
    }

    /** As {@link #run(UUID, Model, JobContract, Object, List)}, with at most {@code maxInputs} inputs. */
    public <P, I, R> Outcome<R> run(UUID tenantId, Model model, JobContract<P, I, R> contract, P params,
                                    List<I> inputs, int maxInputs) throws InterruptedException {
        if (inputs.isEmpty()) {
            throw MontageException.invalid("empty_input", "send at least one input");
        }
        if (inputs.size() > maxInputs) {
            throw new MontageException(413, "too_many_inputs", inputs.size() + " inputs; a synchronous request "
                    + "takes at most " + maxInputs + " (use a bulk job, POST /v1/jobs, for more)");
        }
        backlog.admit(model);
        if (!workers.anyLiveWorkerHas(WorkerNode.modelCapability(model.id()), limits.workerFreshness())) {
            throw new MontageException(503, "no_worker_for_model",
                    "no running worker serves " + model.reference() + " right now; try again shortly");
        }
        List<NewItem> items = inputs.stream().map(input -> codec.item(contract, null, input)).toList();
        // the request's id (X-Request-Id) goes with its job to the worker's log lines; every route that runs here
        // is a request's, whose context Micronaut propagates to this blocking thread
        NewJob request = codec.job(contract, Priority.INTERACTIVE, params, model.id(), limits.retention(), items)
                .withRequestId(ServerRequestContext.currentRequest().map(RequestIds::of).orElse(null));
        InteractiveJobs.Outcome outcome;
        try {
            outcome = interactive.run(tenantId, request, limits.timeout(),
                    quotas.itemsRecorded(tenantId, items.size()));
        } catch (RuntimeException e) {
            throw quotas.refusal(e, tenantId, items.size()).orElseThrow(() -> e);
        }
        UUID jobId = outcome.job().id();
        if (outcome instanceof InteractiveJobs.Unfinished unfinished && unfinished.timedOut()) {
            throw new MontageException(504, "inference_timeout", "the request did not finish within "
                    + limits.timeout().toSeconds() + " s; it goes on as job " + jobId
                    + ": poll GET /v1/jobs/" + jobId + " and read GET /v1/jobs/" + jobId + "/items");
        }
        if (!(outcome instanceof InteractiveJobs.Finished finished)) {
            throw new MontageException(502, "inference_failed", "the workers could not process job " + jobId
                    + " (" + outcome.job().status().wireName() + "); its items say why: GET /v1/jobs/" + jobId
                    + "/items");
        }
        return new Outcome<>(model, results(contract, finished.items()));
    }

    /** The embedding of one input, as the model returns it. */
    public float[] embed(UUID tenantId, Model model, ItemSource input) throws InterruptedException {
        return run(tenantId, model, EmbedJob.CONTRACT, EmbedJob.Params.DEFAULT, List.of(input)).results().getFirst()
                .embedding();
    }

    private <R> List<R> results(JobContract<?, ?, R> contract, List<JobItem> items) {
        List<R> results = new ArrayList<>(items.size());
        for (JobItem item : items) {
            if (item.errorCode() != null) { // an item over a quota (a collection's, at the worker) is still a 429
                throw new MontageException(item.errorCode().equals("quota_exceeded") ? 429 : 422, item.errorCode(),
                        "input " + item.seq() + ": " + item.errorMessage());
            }
            results.add(codec.readResult(contract, item.resultJson()));
        }
        return results;
    }
}
