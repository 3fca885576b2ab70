package io.montage.api.inference;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Limits of the synchronous inference endpoints (montage.inference-api.*).
 *
 * @param maxItems        inputs (texts or images) per request; larger work belongs in a bulk job
 * @param maxEmbeddingInputs inputs per {@code POST /v1/embeddings} request: OpenAI's 2,048, so its clients' batches
 *                        (LangChain's 1,000) fit; the cost caps still bound the texts and images among them
 * @param maxImageBytes   one decoded image
 * @param maxTextChars    one text
 * @param maxLabels       labels (classify) or texts (similarity) per request
 * @param timeout         how long a request waits for its result before answering 504 with the job to poll
 * @param workerFreshness a worker counts as alive if it heartbeated this recently
 * @param retention       how long a synchronous request's job (its inputs, e.g. images, and results) is
 *                        kept: long enough to poll a request that answered 504, no longer
 */
@ConfigurationProperties("montage.inference-api")
public record InferenceLimits(@Bindable(defaultValue = "256") int maxItems,
                              @Bindable(defaultValue = "2048") int maxEmbeddingInputs,
                              @Bindable(defaultValue = "20971520") int maxImageBytes,
                              @Bindable(defaultValue = "10000") int maxTextChars,
                              @Bindable(defaultValue = "1000") int maxLabels,
                              @Bindable(defaultValue = "30s") Duration timeout,
                              @Bindable(defaultValue = "30s") Duration workerFreshness,
                              @Bindable(defaultValue = "1h") Duration retention) {
}
