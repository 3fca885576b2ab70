package io.montage.worker.inference;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.montage.collections.HalfVectors;
import io.montage.errors.MontageException;
import io.montage.jobs.ClaimedTask;
import io.montage.jobs.ItemOutcome;
import io.montage.jobs.contracts.ItemSource;
import io.montage.jobs.contracts.PredictJob;
import io.montage.models.Truncation;
import io.montage.worker.fairshare.FairExecutor;
import io.montage.worker.fairshare.Flow;
import io.montage.worker.fetch.ImageFetcher;
import io.montage.worker.images.DecodedImage;
import io.montage.worker.images.ImageDecoder;
import io.montage.worker.images.Thumbnails;
import io.montage.worker.tasks.Item;
import io.montage.worker.tasks.TransientTaskException;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Turns a task's items into embeddings: texts go straight to the text tower's batcher; images are decoded and
 * preprocessed on their own pool first, so the model never waits on decoding. A bad item fails alone. Every item
 * travels as its task's {@link Flow}: the decoders and the batchers serve flows fairly, and the flow's window
 * bounds how many of its items are on the way at once (the task's thread waits for room).
 */
@Singleton
final class Embedder {

    /**
     * An item's embedding (and for a text, its token count and whether tokens past the model's context were
     * dropped), or why it has none.
     */
    record Embedded(int seq, float[] vector, int tokens, boolean truncated, Kept kept, ItemOutcome failure) {

        /**
         * Why the item cannot go into a collection: its failure, or a vector that is zero at half precision
         * (collections store halfvec; a vector without direction would make every score of a search NaN).
         */
        ItemOutcome failureToStore() {
            if (failure != null || HalfVectors.hasDirection(vector)) {
                return failure;
            }
            return ItemOutcome.failed(seq, "zero_embedding", "the model embedded this item as a vector that is "
                    + "zero at half precision, the precision collections store; it has no direction to search by");
        }
    }

    /** What a collection keeps of an image item besides its vector: the image itself and a thumbnail. */
    record Kept(byte[] image, byte[] thumbnail) {
    }

    /** An embedding (and, when asked for, what a collection keeps) on its way. */
    private record Pending(CompletableFuture<float[]> vector, int tokens, boolean truncated,
                           CompletableFuture<Kept> kept) {

        /** An item refused before it started; reported with the item, in order. */
        static Pending failed(MontageException e) {
            return new Pending(CompletableFuture.failedFuture(e), 0, false, CompletableFuture.completedFuture(null));
        }
    }

    /** Side of the thumbnails collections keep for the console. */
    private static final int THUMBNAIL_SIDE = 128;

    private final ModelServer server;
    private final ImageDecoder decoder;
    private final ImageFetcher fetcher;
    private final ExecutorService downloads = Executors.newVirtualThreadPerTaskExecutor();
    private final FairExecutor preprocessing;
    private final int taskWindow;
    private final Timer decoding;

    Embedder(ModelServer server, ImageDecoder decoder, ImageFetcher fetcher, InferenceConfig config,
             MeterRegistry metrics) {
        this.decoding = Timer.builder("montage.worker.decode")
                .description("Image decode time per image (beside the model's time per batch)").register(metrics);
        this.server = server;
        this.decoder = decoder;
        this.fetcher = fetcher;
        this.preprocessing = new FairExecutor("preprocess", config.preprocessThreads());
        this.taskWindow = config.taskWindow();
    }

    /** The task's flow: create one per task run and pass it to every call for that task. */
    Flow flowFor(ClaimedTask task) {
        return Flow.of(task, taskWindow);
    }

    /** The task's model, loaded on this worker; if it is not (yet, or any more), the attempt fails and is retried. */
    LoadedModel modelFor(ClaimedTask task) {
        return server.get(task.modelId()).orElseThrow(() ->
                new TransientTaskException("model " + task.modelId() + " is not loaded on this worker"));
    }

    List<Embedded> embedItems(Flow flow, LoadedModel model, List<Item<ItemSource>> items, Truncation truncation)
            throws InterruptedException {
        return embedItems(flow, model, items, truncation, false);
    }

    /**
     * Embeds every item, texts longer than the model's context as {@code truncation} says; with {@code keep}, image
     * items also return their bytes and a thumbnail made from the same decode (what a collection stores).
     */
    List<Embedded> embedItems(Flow flow, LoadedModel model, List<Item<ItemSource>> items, Truncation truncation,
                              boolean keep) throws InterruptedException {
        List<Pending> pending = new ArrayList<>(items.size());
        for (Item<ItemSource> item : items) {
            try {
                pending.add(embed(flow, model, checked(item.input()), truncation, keep));
            } catch (MontageException e) {
                // reported with the item, in order
                pending.add(Pending.failed(e));
            }
        }
        return awaitAll(items, pending);
    }

    /** Embeds texts (labels, prompts) and waits for them; any failure fails the task. */
    float[][] embedTexts(Flow flow, LoadedModel model, List<String> texts)
            throws InterruptedException, ExecutionException {
        List<CompletableFuture<float[]>> pending = new ArrayList<>(texts.size());
        for (String text : texts) {
            TextTokenizer.Tokens tokens = model.tokenize(text);
            pending.add(flow.admit(() -> model.embedTokens(flow, tokens)));
        }
        float[][] out = new float[texts.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = pending.get(i).get();
        }
        return out;
    }

    /** Starts one item once its flow has room; the room is held until the item's vector is there (or failed). */
    private Pending embed(Flow flow, LoadedModel model, ItemSource input, Truncation truncation, boolean keep)
            throws InterruptedException {
        if (input.text() != null) {
            TextTokenizer.Tokens tokens = model.tokenize(input.text());
            if (tokens.truncated() && truncation == Truncation.NONE) {
                throw MontageException.invalid("text_too_long", "the text has more tokens than "
                        + model.model().reference() + " reads (its context is " + tokens.ids().length
                        + " tokens); shorten it, or send truncate: \"end\" to drop the tokens past the context");
            }
            return new Pending(flow.admit(() -> model.embedTokens(flow, tokens)), tokens.count(), tokens.truncated(),
                    CompletableFuture.completedFuture(null));
        }
        flow.enter();
        try {
            CompletableFuture<byte[]> bytes = bytes(input.image(), input.imageUrl());
            CompletableFuture<DecodedImage> decoded = decoded(flow, bytes);
            // both run on the decoding thread as soon as the pixels exist; the decoded image is not kept after that
            CompletableFuture<Kept> kept = decoded.thenCombine(bytes, (image, raw) ->
                    keep ? new Kept(raw, Thumbnails.jpeg(image, THUMBNAIL_SIDE)) : null);
            CompletableFuture<float[]> vector = decoded.thenApply(model.preprocessor()::preprocess)
                    .thenCompose(pixels -> model.embedImage(flow, pixels));
            vector.whenComplete((result, failure) -> flow.leave());
            return new Pending(vector, 0, false, kept);
        } catch (RuntimeException e) {
            flow.leave();
            throw e;
        }
    }

    /**
     * A fused model's output for every item (in {@link Embedded#vector}), each image decoded and preprocessed on the
     * preprocessing pool, then batched with its text; texts longer than the model's context are cut at the end.
     */
    List<Embedded> predictItems(Flow flow, LoadedModel model, List<Item<PredictJob.Input>> items)
            throws InterruptedException {
        List<Pending> pending = new ArrayList<>(items.size());
        for (Item<PredictJob.Input> item : items) {
            PredictJob.Input input = item.input();
            if (input == null || !input.complete()) {
                pending.add(Pending.failed(MontageException.invalid("invalid_input",
                        "a predict item is a text and an image (its bytes or an image_url)")));
                continue;
            }
            TextTokenizer.Tokens tokens = model.tokenize(input.text());
            flow.enter();
            try {
                CompletableFuture<float[]> out = decoded(flow, bytes(input.image(), input.imageUrl()))
                        .thenApply(model.preprocessor()::preprocess)
                        .thenCompose(pixels -> model.predict(flow, pixels, tokens));
                out.whenComplete((result, failure) -> flow.leave());
                pending.add(new Pending(out, tokens.count(), tokens.truncated(), CompletableFuture.completedFuture(null)));
            } catch (RuntimeException e) {
                flow.leave();
                throw e;
            }
        }
        return awaitAll(items, pending);
    }

    /** An image's bytes: the queue's as the api kept them, or downloaded (on a virtual thread: it waits on the network). */
    private CompletableFuture<byte[]> bytes(byte[] inline, String url) {
        return inline != null ? CompletableFuture.completedFuture(inline)
                : CompletableFuture.supplyAsync(() -> fetcher.fetch(url), downloads);
    }

    /** Decoded on the preprocessing pool, in the flow's turn. */
    private CompletableFuture<DecodedImage> decoded(Flow flow, CompletableFuture<byte[]> bytes) {
        return bytes.thenApplyAsync(image -> decoding.record(() -> decoder.decode(image)),
                preprocessing.forFlow(flow));
    }

    private static ItemSource checked(ItemSource input) {
        if (input == null || input.given() != 1) {
            throw MontageException.invalid("invalid_input",
                    "an item is one of a text, an image's bytes or an image_url");
        }
        return input;
    }

    private static List<Embedded> awaitAll(List<? extends Item<?>> items, List<Pending> pending)
            throws InterruptedException {
        List<Embedded> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(await(items.get(i).seq(), pending.get(i)));
        }
        return out;
    }

    private static Embedded await(int seq, Pending pending) throws InterruptedException {
        try {
            return new Embedded(seq, pending.vector().get(), pending.tokens(), pending.truncated(), pending.kept().get(),
                    null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MontageException rejected) {
                return new Embedded(seq, null, 0, false, null,
                        ItemOutcome.failed(seq, rejected.code(), rejected.getMessage()));
            }
            throw new IllegalStateException("inference failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    @PreDestroy
    void close() {
        preprocessing.close();
        downloads.shutdownNow();
    }
}
