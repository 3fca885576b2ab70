package io.montage.worker.inference;

import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

/**
 * Unit-length embeddings of label sets and text sets, per model. A classification job sends the same labels with
 * every task, so each set is embedded once per worker rather than once per task.
 */
@Singleton
final class TextEmbeddingCache {

    private static final int CAPACITY = 256;

    private record Key(UUID modelId, List<String> labels, List<String> templates) {
    }

    private final Embedder embedder;
    private final Map<Key, float[][]> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, float[][]> eldest) {
            return size() > CAPACITY;
        }
    };

    TextEmbeddingCache(Embedder embedder) {
        this.embedder = embedder;
    }

    /**
     * One unit vector per label: the normalised mean of the label's embeddings in every template ({@code {}} stands
     * for the label), as CLIP's zero-shot prompt ensembling does. With the single template {@code "{}"} this is the
     * embedding of the text itself.
     */
    float[][] labels(LoadedModel model, List<String> labels, List<String> templates)
            throws InterruptedException, ExecutionException {
        Key key = new Key(model.model().id(), List.copyOf(labels), List.copyOf(templates));
        synchronized (cache) {
            float[][] cached = cache.get(key);
            if (cached != null) {
                return cached;
            }
        }
        List<String> prompts = labels.stream()
                .flatMap(label -> templates.stream().map(t -> t.replace("{}", label))).toList();
        float[][] embedded = embedder.embedTexts(model, prompts);
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
        synchronized (cache) {
            cache.put(key, perLabel);
        }
        return perLabel;
    }
}
