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
 * (one bounded index scan) is kept per model: a count older than {@code count-for} is still used while it is read
 * again in the background, so a stream of requests costs one count per {@code count-for} and none of them waits for
 * it (read on the request's path, it was a transaction of three round trips in front of one sync request in two,
 * docs/benchmarks.md, "Session 6"). Only a count no request asked for within {@link #UNUSED_FOR} x {@code count-for}
 * (a model idle that long) is dropped, and the next request reads it itself: a count that old says nothing.
 */
@Singleton
public class ModelBacklog {

    /** In {@code count-for}s: a count not refreshed for this long is dropped instead of used. */
    static final int UNUSED_FOR = 10;

    private final BacklogConfig config;
    private final LoadingCache<UUID, Integer> waiting;

    public ModelBacklog(BacklogConfig config, QueueBacklog backlog) {
        this.config = config;
        this.waiting = Caffeine.newBuilder()
                .maximumSize(10_000)
                .refreshAfterWrite(config.countFor())
                .expireAfterWrite(config.countFor().multipliedBy(UNUSED_FOR))
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
