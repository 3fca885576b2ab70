package io.montage.api.admission;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The bound on each model's queue of synchronous work (montage.admission.backlog.*).
 *
 * @param maxWaitingTasks synchronous tasks (a request is 1-3 of them) that may wait for a model before new
 *                        synchronous requests for it are answered 503 at once: a request queued behind more would
 *                        mostly run into its 504 timeout anyway. Size it to what the model's workers finish within
 *                        the timeout (the default suits a few GPU workers).
 * @param countFor        how long an api node reuses a model's count before it counts again in the background (the
 *                        older count serves meanwhile): at most one count per model per node in this time, however
 *                        many requests arrive, and none on a request's path while requests keep coming
 * @param retryAfter      the Retry-After of a 503 model_overloaded
 */
@ConfigurationProperties("montage.admission.backlog")
public record BacklogConfig(@Bindable(defaultValue = "200") int maxWaitingTasks,
                            @Bindable(defaultValue = "100ms") Duration countFor,
                            @Bindable(defaultValue = "2s") Duration retryAfter) {
}
