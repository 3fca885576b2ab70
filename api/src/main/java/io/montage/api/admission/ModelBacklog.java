package io.montage.api.admission;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.montage.errors.MontageException;
import io.montage.jobs.Priority;
import io.montage.jobs.QueueBacklog;
import io.montage.models.Model;
import jakarta.inject.Singleton;

import java.util.UUID;

/**
 * Bounds each model's queue of synchronous work: over {@code max-waiting-tasks} waiting, a synchronous request is
 * 503 {@code model_overloaded} with Retry-After at once instead of joining a queue it would time out in. The count
 * (one bounded index scan) is cached per model for {@code count-for}, so a burst of requests costs one query.
 */
@Singleton
public class ModelBacklog {

    private final BacklogConfig config;
    private final LoadingCache<UUID, Integer> waiting;

    public ModelBacklog(BacklogConfig config, QueueBacklog backlog) {
        this.config = config;
        this.waiting = Caffeine.newBuilder()
                .maximumSize(10_000)
                .expireAfterWrite(config.countFor())
                .build(modelId -> backlog.waitingTasks(modelId, Priority.INTERACTIVE, config.maxWaitingTasks() + 1));
    }

    /** Refuses a synchronous request for a model whose backlog is over the bound. */
    public void admit(Model model) {
        if (waiting.get(model.id()) > config.maxWaitingTasks()) {
            throw new MontageException(503, "model_overloaded", model.reference() + " has more than "
                    + config.maxWaitingTasks() + " synchronous tasks waiting; retry in "
                    + config.retryAfter().toSeconds() + " s, or submit a bulk job (POST /v1/jobs) for large loads",
                    config.retryAfter());
        }
    }
}
