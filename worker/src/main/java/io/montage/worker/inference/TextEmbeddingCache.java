package io.montage.worker.inference;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.montage.worker.fairshare.Flow;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Unit-length embeddings of label sets and text sets, per tenant and model. A classification job sends the same
 * labels with every task, so each set is embedded once per worker rather than once per task; tasks that miss
 * together wait for the one that embeds it (Caffeine keeps a single future per key) instead of embedding it again.
 *
 * <p>The set is embedded on the thread of the task that missed first, as that task's flow (its window and its
 * turn in the batcher), never on a shared pool. The tenant is part of the key, so a tenant never waits on (nor
 * learns the timing of) another tenant's labels; so is the flow's class, so a synchronous request never waits for
 * its own tenant's bulk job to embed the same labels at bulk priority.
 */
@Singleton
final class TextEmbeddingCache {

    private record Key(UUID owner, boolean interactive, UUID modelId, List<String> labels, List<String> templates) {
    }

    private final Embedder embedder;
    private final AsyncCache<Key, float[][]> cache;

    TextEmbeddingCache(Embedder embedder, InferenceConfig config) {
        this.embedder = embedder;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(config.textCacheBytes())
                .weigher((Key key, float[][] vectors) -> vectors.length == 0 ? 0
                        : (int) Math.min(Integer.MAX_VALUE, (long) vectors.length * vectors[0].length * Float.BYTES))
                .buildAsync();
    }

    /**
     * One unit vector per label: the normalised mean of the label's embeddings in every template ({@code {}} stands
     * for the label), as CLIP's zero-shot prompt ensembling does. With the single template {@code "{}"} this is the
     * embedding of the text itself.
     */
    float[][] labels(Flow flow, LoadedModel model, List<String> labels, List<String> templates)
            throws InterruptedException, ExecutionException {
        Key key = new Key(flow.owner(), flow.interactive(), model.model().id(), List.copyOf(labels),
                List.copyOf(templates));
        while (true) {
            CompletableFuture<float[][]> mine = new CompletableFuture<>();
            CompletableFuture<float[][]> existing = cache.asMap().putIfAbsent(key, mine);
            if (existing == null) {
                try {
                    float[][] embedded = embed(flow, model, key);
                    mine.complete(embedded);
                    return embedded;
                } catch (InterruptedException | ExecutionException | RuntimeException e) {
                    mine.completeExceptionally(e); // Caffeine drops a failed future: the next caller embeds again
                    throw e;
                }
            }
            try {
                return existing.get();
            } catch (ExecutionException e) {
                // the task embedding it failed or was stopped, which says nothing about this one: embed it here
                cache.asMap().remove(key, existing);
            }
        }
    }

    private float[][] embed(Flow flow, LoadedModel model, Key key) throws InterruptedException, ExecutionException {
        List<String> labels = key.labels();
        List<String> templates = key.templates();
        List<String> prompts = labels.stream()
                .flatMap(label -> templates.stream().map(t -> t.replace("{}", label))).toList();
        float[][] embedded = embedder.embedTexts(flow, model, prompts);
        float[][] perLabel = new float[labels.size()][];
        for (int l = 0; l < labels.size(); l++) {
            float[] mean = new float[embedded[0].length];
            for (int t = 0; t < templates.size(); t++) {
                float[] e = embedded[l * templates.size() + t].clone();
                Vectors.normalize(e);
                for (int d = 0; d < mean.length; d++) {
                    mean[d] += e[d];
                }
            }
            Vectors.normalize(mean);
            perLabel[l] = mean;
        }
        return perLabel;
    }
}
