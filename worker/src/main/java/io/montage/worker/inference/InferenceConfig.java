package io.montage.worker.inference;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.convert.format.ReadableBytes;

import java.time.Duration;
import java.util.List;

/**
 * How this worker serves models (montage.inference.*).
 *
 * @param models          model references to serve ({@code name} or {@code name@version}); empty: every ready model
 * @param device          {@code cpu} or {@code gpu} (needs the CUDA build of libtorch, see docs/operations.md)
 * @param batchSizes      the batch sizes a model is run at; a batch is padded up to the next one. Each is warmed up
 *                        at load, because the first call at a new shape is slow (seconds)
 * @param maxBatchDelay   how long the first request of a batch waits for company before the batch runs anyway,
 *                        while company may come (bulk requests queued, another runner busy); interactive requests
 *                        alone never wait
 * @param runnersPerModel threads (each with its own DJL Predictor) running batches per model and tower
 * @param preprocessThreads threads decoding and preprocessing images, so the model never waits on JPEG decoding
 * @param engineThreads   libtorch intra-op threads (0: the number of cores)
 * @param taskWindow      the most items (images, texts, label prompts) one task may have in flight: downloading,
 *                        decoding or waiting in a batcher. What bounds those queues; the task's own thread waits
 *                        for room. At least the largest batch size, or a lone task could never fill a batch
 * @param textCacheBytes  memory for the label and text-set embeddings kept across the tasks of a job
 */
@ConfigurationProperties("montage.inference")
public record InferenceConfig(@Nullable List<String> models,
                              @Bindable(defaultValue = "cpu") String device,
                              @Bindable(defaultValue = "1,2,4,8,16,32") List<Integer> batchSizes,
                              @Bindable(defaultValue = "5ms") Duration maxBatchDelay,
                              @Bindable(defaultValue = "1") int runnersPerModel,
                              @Bindable(defaultValue = "2") int preprocessThreads,
                              @Bindable(defaultValue = "0") int engineThreads,
                              @Bindable(defaultValue = "64") int taskWindow,
                              @Bindable(defaultValue = "64MB") @ReadableBytes long textCacheBytes) {

    public InferenceConfig {
        models = models == null ? List.of() : List.copyOf(models);
        int largestBatch = largest(batchSizes);
        if (taskWindow < largestBatch) {
            throw new IllegalArgumentException("montage.inference.task-window (" + taskWindow + ") must be at least "
                    + "the largest batch size (" + largestBatch + "), or a task alone could never fill a batch");
        }
    }

    public int maxBatchSize() {
        return largest(batchSizes);
    }

    private static int largest(List<Integer> batchSizes) {
        return batchSizes.stream().mapToInt(Integer::intValue).max().orElse(1);
    }

    /** The smallest configured batch size that fits {@code n} requests. */
    public int bucketFor(int n) {
        return batchSizes.stream().mapToInt(Integer::intValue).filter(size -> size >= n).min()
                .orElseThrow(() -> new IllegalArgumentException(n + " exceeds the largest batch size"));
    }
}
