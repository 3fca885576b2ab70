package io.montage.console.collections;

import io.montage.errors.MontageException;
import io.montage.jobs.InteractiveJobs;
import io.montage.jobs.JobItem;
import io.montage.jobs.NewJob;
import io.montage.jobs.Priority;
import io.montage.jobs.contracts.EmbedJob;
import io.montage.jobs.contracts.ItemSource;
import io.montage.jobs.contracts.JobCodec;
import io.montage.models.Model;
import io.montage.workers.WorkerNode;
import io.montage.workers.WorkerRegistry;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Embeds a playground query, a text or an image, with a collection's model: one interactive embed job through the
 * queue on the tenant's behalf, run by a worker serving that model, exactly as the api's search embeds its query.
 * The playground is an operator's tool, so its queries do not count against the tenant's daily item quota.
 */
@Singleton
public class QueryEmbedder {

    /** A worker heartbeats every 10 s; three missed heartbeats and it is taken for gone. */
    private static final Duration WORKER_FRESHNESS = Duration.ofSeconds(30);

    private final InteractiveJobs interactive;
    private final WorkerRegistry workers;
    private final JobCodec codec;
    private final PlaygroundConfig config;

    public QueryEmbedder(InteractiveJobs interactive, WorkerRegistry workers, JobCodec codec, PlaygroundConfig config) {
        this.interactive = interactive;
        this.workers = workers;
        this.codec = codec;
        this.config = config;
    }

    public float[] text(UUID tenantId, Model model, String text) {
        if (text.isBlank()) {
            throw MontageException.invalid("empty_query", "type a text to search for");
        }
        if (text.length() > config.maxTextChars()) {
            throw MontageException.invalid("query_too_long", "the query has " + text.length()
                    + " characters; at most " + config.maxTextChars() + " are searched");
        }
        return embed(tenantId, model, ItemSource.text(text));
    }

    public float[] image(UUID tenantId, Model model, byte[] image) {
        return embed(tenantId, model, ItemSource.image(image));
    }

    private float[] embed(UUID tenantId, Model model, ItemSource input) {
        if (!workers.anyLiveWorkerHas(WorkerNode.modelCapability(model.id()), WORKER_FRESHNESS)) {
            throw new MontageException(503, "no_worker_for_model", "no running worker serves " + model.reference()
                    + ", so the query cannot be embedded; start one (the dashboard lists the workers)");
        }
        NewJob request = codec.job(EmbedJob.CONTRACT, Priority.INTERACTIVE, EmbedJob.Params.DEFAULT, model.id(),
                config.timeout(), List.of(codec.item(EmbedJob.CONTRACT, null, input)));
        InteractiveJobs.Outcome outcome;
        try {
            outcome = interactive.run(tenantId, request, config.timeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MontageException(503, "query_interrupted", "the console is stopping; search again");
        }
        return switch (outcome) {
            case InteractiveJobs.Finished finished -> vector(finished.items().getFirst());
            case InteractiveJobs.Unfinished unfinished when unfinished.timedOut() -> throw new MontageException(504,
                    "query_timeout", "no worker embedded the query within " + config.timeout().toSeconds()
                    + " s (job " + unfinished.job().id() + "); the dashboard shows the queue");
            case InteractiveJobs.Unfinished unfinished -> throw new MontageException(502, "query_failed",
                    "the worker could not embed the query (job " + unfinished.job().id() + " "
                    + unfinished.job().status().wireName() + "); the jobs view shows its item's error");
        };
    }

    private float[] vector(JobItem item) {
        if (item.errorCode() != null) { // e.g. an image the worker cannot decode: the operator's input, said plainly
            throw MontageException.invalid(item.errorCode(), item.errorMessage());
        }
        return codec.readResult(EmbedJob.CONTRACT, item.resultJson()).embedding();
    }
}
