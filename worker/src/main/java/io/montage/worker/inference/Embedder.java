package io.montage.worker.inference;

import io.micronaut.json.JsonMapper;
import io.montage.errors.MontageException;
import io.montage.jobs.ClaimedTask;
import io.montage.jobs.ItemOutcome;
import io.montage.jobs.TaskItem;
import io.montage.worker.images.DecodedImage;
import io.montage.worker.images.ImageDecoder;
import io.montage.worker.images.Thumbnails;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Turns a task's items into embeddings: texts go straight to the text tower's batcher; images are decoded and
 * preprocessed on their own pool first, so the model never waits on decoding. A bad item fails alone.
 */
@Singleton
final class Embedder {

    /** An item's embedding (and for a text, its token count), or why it has none. */
    record Embedded(int seq, float[] vector, int tokens, byte[] thumbnail, ItemOutcome failure) {
    }

    /** An embedding (and an image's thumbnail, when asked for) on its way. */
    private record Pending(CompletableFuture<float[]> vector, int tokens, CompletableFuture<byte[]> thumbnail) {
    }

    /** Side of the thumbnails collections keep for the console. */
    private static final int THUMBNAIL_SIDE = 128;

    private final ModelServer server;
    private final ImageDecoder decoder;
    private final JsonMapper json;
    private final ExecutorService preprocessing;

    Embedder(ModelServer server, ImageDecoder decoder, JsonMapper json, InferenceConfig config) {
        this.server = server;
        this.decoder = decoder;
        this.json = json;
        this.preprocessing = Executors.newFixedThreadPool(config.preprocessThreads(),
                Thread.ofPlatform().daemon().name("preprocess-", 1).factory());
    }

    /** The task's model, loaded on this worker; if it is not (any more), the attempt fails and is retried. */
    LoadedModel modelFor(ClaimedTask task) {
        return server.get(task.modelId()).orElseThrow(() ->
                new IllegalStateException("model " + task.modelId() + " is not loaded on this worker"));
    }

    List<Embedded> embedItems(LoadedModel model, List<TaskItem> items) throws InterruptedException {
        return embedItems(model, items, false);
    }

    /** Embeds every item; with {@code thumbnails}, image items also get a small JPEG made from the same decode. */
    List<Embedded> embedItems(LoadedModel model, List<TaskItem> items, boolean thumbnails)
            throws InterruptedException {
        List<Pending> pending = new ArrayList<>(items.size());
        for (TaskItem item : items) {
            try {
                pending.add(embed(model, read(item), thumbnails));
            } catch (MontageException e) {
                // reported with the item, in order
                pending.add(new Pending(CompletableFuture.failedFuture(e), 0, CompletableFuture.completedFuture(null)));
            }
        }
        List<Embedded> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(await(items.get(i).seq(), pending.get(i)));
        }
        return out;
    }

    /** Embeds texts (labels, prompts) and waits for them; any failure fails the task. */
    float[][] embedTexts(LoadedModel model, List<String> texts) throws InterruptedException, ExecutionException {
        List<CompletableFuture<float[]>> pending = texts.stream().map(model::embedText).toList();
        float[][] out = new float[texts.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = pending.get(i).get();
        }
        return out;
    }

    private Pending embed(LoadedModel model, ItemInput input, boolean thumbnails) {
        if (input.text() != null) {
            TextTokenizer.Tokens tokens = model.tokenize(input.text());
            return new Pending(model.embedTokens(tokens), tokens.count(), CompletableFuture.completedFuture(null));
        }
        byte[] bytes = decodeBase64(input.image());
        CompletableFuture<DecodedImage> decoded = CompletableFuture.supplyAsync(() -> decoder.decode(bytes), preprocessing);
        // both run on the decoding thread as soon as the pixels exist; the decoded image is not kept after that
        CompletableFuture<byte[]> thumbnail = decoded.thenApply(image -> thumbnails ? Thumbnails.jpeg(image, THUMBNAIL_SIDE) : null);
        CompletableFuture<float[]> vector = decoded.thenApply(model.preprocessor()::preprocess).thenCompose(model::embedImage);
        return new Pending(vector, 0, thumbnail);
    }

    private ItemInput read(TaskItem item) {
        ItemInput input;
        try {
            input = json.readValue(item.inputJson(), ItemInput.class);
        } catch (IOException | RuntimeException e) {
            input = null;
        }
        if (input == null || (input.text() == null) == (input.image() == null)) {
            throw MontageException.invalid("invalid_input", "an item is either {\"text\": …} or {\"image\": …}");
        }
        return input;
    }

    private static byte[] decodeBase64(String image) {
        try {
            return Base64.getDecoder().decode(image);
        } catch (IllegalArgumentException e) {
            throw MontageException.invalid("invalid_base64", "the image is not valid base64: " + e.getMessage());
        }
    }

    private static Embedded await(int seq, Pending pending) throws InterruptedException {
        try {
            return new Embedded(seq, pending.vector().get(), pending.tokens(), pending.thumbnail().get(), null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MontageException rejected) {
                return new Embedded(seq, null, 0, null, ItemOutcome.failed(seq, rejected.code(), rejected.getMessage()));
            }
            throw new IllegalStateException("inference failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    @PreDestroy
    void close() {
        preprocessing.shutdownNow();
    }
}
