package io.montage.api.jobs;

import io.micronaut.serde.annotation.Serdeable;
import io.montage.api.admission.JobAdmission;
import io.montage.api.admission.RequestCosts;
import io.montage.api.auth.TenantPrincipal;
import io.montage.api.inference.InferenceInputs;
import io.montage.api.inference.InferenceLimits;
import io.montage.api.inference.SyncInference;
import io.montage.collections.Collection;
import io.montage.collections.Collections;
import io.montage.db.DataAccessException;
import io.montage.db.Database;
import io.montage.errors.MontageException;
import io.montage.jobs.IdempotencyKeys;
import io.montage.jobs.Job;
import io.montage.jobs.JobIntake;
import io.montage.jobs.JobSpec;
import io.montage.jobs.Jobs;
import io.montage.jobs.NewItem;
import io.montage.jobs.Priority;
import io.montage.jobs.contracts.ClassifyJob;
import io.montage.jobs.contracts.EchoJob;
import io.montage.jobs.contracts.EmbedJob;
import io.montage.jobs.contracts.IngestJob;
import io.montage.jobs.contracts.JobCodec;
import io.montage.jobs.contracts.NoParams;
import io.montage.jobs.contracts.PredictJob;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.models.Truncation;
import jakarta.inject.Singleton;

import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Submitting bulk jobs: the job's parameters are checked up front (an unknown model is a 4xx, not a failed job),
 * items are streamed into the queue (bad lines become item errors), and an Idempotency-Key makes a retried
 * submission return the job it already created.
 */
@Singleton
class JobSubmissions {

    /** A submission whose response is known: the job, and whether this request created it. */
    record Submitted(Job job, boolean created) {
    }

    @Serdeable
    record Params(String type, String model, String collection, List<String> labels, List<String> templates,
                  String truncate, Integer topK) {
    }

    private final Database database;
    private final JobIntake queue;
    private final Jobs jobs;
    private final IdempotencyKeys idempotency;
    private final ModelRegistry models;
    private final Collections collections;
    private final SyncInference inference;
    private final JobTypes config;
    private final InferenceLimits limits;
    private final ZipLimits zipLimits;
    private final JobCodec codec;
    private final RequestCosts costs;
    private final JobAdmission admission;

    JobSubmissions(Database database, JobIntake queue, Jobs jobs, IdempotencyKeys idempotency, ModelRegistry models,
                   Collections collections, SyncInference inference, JobTypes config, InferenceLimits limits,
                   ZipLimits zipLimits, JobCodec codec, RequestCosts costs, JobAdmission admission) {
        this.database = database;
        this.queue = queue;
        this.jobs = jobs;
        this.idempotency = idempotency;
        this.models = models;
        this.collections = collections;
        this.inference = inference;
        this.config = config;
        this.limits = limits;
        this.zipLimits = zipLimits;
        this.codec = codec;
        this.costs = costs;
        this.admission = admission;
    }

    /** The item schema of a job type the caller may submit: an unknown type is a 422, a missing scope a 403. */
    ItemSchema schema(String type, TenantPrincipal caller) {
        if (type == null || !config.types().contains(type)) {
            throw MontageException.invalid("unknown_job_type", "type must be one of " + config.types() + ", got " + type);
        }
        JobScopes.require(type, caller);
        return new ItemSchema(type, limits, codec);
    }

    /**
     * Submits a zip of images: items streamed, metadata lines staged in the submission's transaction as they come
     * and attached to ingest items (their metadata) or predict items (their texts) at the end.
     */
    Submitted zip(UUID tenantId, Params params, InputStream upload, ItemSchema schema, String idempotencyKey,
                  Supplier<byte[]> requestHash) {
        ZipMetadata metadata = new ZipMetadata(codec, params.type(), limits);
        return submit(tenantId, params, new ZipItems(upload, schema, zipLimits, limits.maxImageBytes(), metadata),
                idempotencyKey, requestHash, metadata);
    }

    /** Items of an uploaded JSONL file, streamed. */
    Iterator<NewItem> lines(InputStream upload, ItemSchema schema) {
        return new JsonlItems(upload, schema, config.maxLineBytes());
    }

    /**
     * Enqueues the job. {@code requestHash} is read after the items are consumed (an upload is hashed as it
     * streams); a key already used with another request is a 409.
     */
    Submitted submit(UUID tenantId, Params params, Iterator<NewItem> items, String idempotencyKey,
                     Supplier<byte[]> requestHash) {
        return submit(tenantId, params, items, idempotencyKey, requestHash, InTransaction.NOTHING);
    }

    /** Work inside a submission's transaction: before any item is read, and on the new job once all are written. */
    interface InTransaction {

        InTransaction NOTHING = new InTransaction() { };

        default void begin(Connection c) throws SQLException {
        }

        default void end(Connection c, Job job) throws SQLException {
        }
    }

    private Submitted submit(UUID tenantId, Params params, Iterator<NewItem> items, String idempotencyKey,
                             Supplier<byte[]> requestHash, InTransaction work) {
        JobSpec spec = spec(tenantId, params, idempotencyKey);
        try {
            return database.inTenant(tenantId, c -> {
                work.begin(c);
                if (idempotencyKey != null) {
                    var previous = idempotency.find(c, idempotencyKey);
                    if (previous.isPresent()) {
                        items.forEachRemaining(item -> { }); // the hash covers the whole request
                        if (!previous.get().sameRequest(requestHash.get())) {
                            throw MontageException.conflict("idempotency_key_reused", "Idempotency-Key '"
                                    + idempotencyKey + "' was used for a different request; use a new key");
                        }
                        return new Submitted(jobs.get(tenantId, previous.get().jobId()), false);
                    }
                }
                JobAdmission.Admitted admitted = admission.start(c, items);
                Job job = queue.enqueue(c, tenantId, spec, admitted.items());
                work.end(c, job);
                if (idempotencyKey != null) {
                    idempotency.remember(c, job.id(), requestHash.get());
                }
                admission.finish(c, tenantId, admitted, job); // last: it locks the tenant's usage row to the commit
                return new Submitted(job, true);
            });
        } catch (DataAccessException e) {
            if (e.getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                throw MontageException.conflict("idempotency_key_in_use",
                        "another request with Idempotency-Key '" + idempotencyKey + "' is being processed; retry");
            }
            throw e;
        }
    }

    /** The parameters workers need, resolved now so that a bad model or collection is the caller's 4xx. */
    private JobSpec spec(UUID tenantId, Params params, String idempotencyKey) {
        if (params.topK() != null && !params.type().equals(PredictJob.NAME)) {
            throw MontageException.invalid("invalid_top_k", "top_k applies to predict jobs; a " + params.type()
                    + " job takes none");
        }
        String truncate = null;
        if (params.truncate() != null) {
            if (!params.type().equals(EmbedJob.NAME) && !params.type().equals(IngestJob.NAME)) {
                throw MontageException.invalid("invalid_truncate", "truncate applies to embed and ingest jobs (their "
                        + "items are texts); a " + params.type() + " job takes none");
            }
            truncate = Truncation.parse(params.truncate()).wireName();
        }
        WorkerParams worker = switch (params.type()) {
            case EmbedJob.NAME -> new WorkerParams(codec.params(EmbedJob.CONTRACT, new EmbedJob.Params(truncate)),
                    inference.model(tenantId, params.model()).id());
            case ClassifyJob.NAME -> {
                List<String> labels = InferenceInputs.texts(params.labels(), "labels", limits);
                List<String> templates = InferenceInputs.templates(params.templates(), limits);
                Model model = inference.model(tenantId, params.model());
                costs.classifyJob(labels.size(), InferenceInputs.templateCount(templates, model));
                yield new WorkerParams(codec.params(ClassifyJob.CONTRACT, new ClassifyJob.Params(labels, templates)),
                        model.id());
            }
            case PredictJob.NAME -> {
                Model model = inference.fusedModel(tenantId, params.model());
                InferenceInputs.checkTopK(params.topK(), model.manifest().output());
                yield new WorkerParams(codec.params(PredictJob.CONTRACT, new PredictJob.Params(params.topK())),
                        model.id());
            }
            case IngestJob.NAME -> {
                if (params.collection() == null) {
                    throw MontageException.invalid("missing_collection", "an ingest job needs collection");
                }
                Collection collection = collections.get(tenantId, params.collection());
                yield new WorkerParams(codec.params(IngestJob.CONTRACT, new IngestJob.Params(truncate,
                        collection.id())), collection.modelId());
            }
            case EchoJob.NAME -> new WorkerParams(codec.params(EchoJob.CONTRACT, NoParams.NONE), null);
            default -> throw new IllegalStateException("no parameters for job type " + params.type());
        };
        if (idempotencyKey != null && (idempotencyKey.isEmpty() || idempotencyKey.length() > 255)) {
            throw MontageException.invalid("invalid_idempotency_key", "Idempotency-Key must be 1-255 characters");
        }
        return new JobSpec(params.type(), Priority.BULK, worker.paramsJson(), worker.modelId(), idempotencyKey,
                Instant.now().plus(config.retention()));
    }

    /** What a job type's contract makes of a submission's parameters: the workers' JSON and the model they need. */
    private record WorkerParams(String paramsJson, UUID modelId) {
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Hashes an upload as it is read; the digest is complete once the stream is. */
    static DigestInputStream hashing(InputStream upload, MessageDigest digest) {
        return new DigestInputStream(upload, digest);
    }

    /** Inline items, checked strictly: a bad one rejects the request (nothing is written). */
    List<NewItem> inline(List<io.micronaut.json.tree.JsonNode> items, ItemSchema schema) {
        if (items == null || items.isEmpty()) {
            throw MontageException.invalid("empty_job", "items must hold at least one item");
        }
        if (items.size() > config.maxInlineItems()) {
            throw new MontageException(413, "too_many_items", "at most " + config.maxInlineItems()
                    + " items fit in one request body (upload a JSONL file for more); got " + items.size());
        }
        List<NewItem> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            String where = "items[" + i + "]";
            out.add(schema.item(schema.customId(items.get(i), where), items.get(i), where));
        }
        return out;
    }
}
