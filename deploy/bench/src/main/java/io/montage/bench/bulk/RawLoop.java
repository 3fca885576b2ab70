package io.montage.bench.bulk;

import ai.djl.translate.TranslateException;
import io.montage.bench.raw.ClipTowers;
import io.montage.worker.images.ImageDecoder;
import io.montage.worker.images.ImageLimits;
import io.montage.worker.images.ImagePreprocessor;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What a bulk job is compared with: the same images, the same work, no platform. Per batch of {@code batch} images:
 * base64 → bytes, ImageDecoder, ImagePreprocessor (the worker's own classes), one encode_image forward pass in DJL,
 * L2 normalisation — no HTTP, no JSON, no database. One pass embeds all N images of the job once, so a pass and a
 * job do exactly the same amount of model work and can be timed next to each other (on a shared machine only
 * neighbouring measurements compare). Two flavours:
 * <ul>
 * <li>{@link #sequential}: one thread does everything, batch after batch — the plain "raw DJL loop"; it also times
 * the forward passes alone, which gives the model-only ceiling;</li>
 * <li>{@link #pipelined}: decoding and preprocessing on {@code threads} threads running ahead of the forward passes
 * on the calling thread — what the worker does (preprocessing pool + batcher thread), without the platform.</li>
 * </ul>
 */
final class RawLoop implements AutoCloseable {

    /** One pass over the images. */
    record Pass(int images, double seconds, double predictSeconds, double cpuSeconds) {
        double imagesPerSecond() {
            return images / seconds;
        }

        /** Images/s if decoding and preprocessing were free: the forward passes alone. */
        double predictOnlyPerSecond() {
            return images / predictSeconds;
        }
    }

    private final ClipTowers towers;
    private final ImageDecoder decoder = new ImageDecoder(new ImageLimits(20 * 1024 * 1024, 40_000_000L));
    private final ImagePreprocessor preprocessor;
    private final List<String> base64;
    private final ExecutorService pool;

    RawLoop(ClipTowers towers, List<byte[]> images, int threads) {
        this.towers = towers;
        this.preprocessor = new ImagePreprocessor(towers.manifest().image());
        Base64.Encoder encoder = Base64.getEncoder();
        this.base64 = images.stream().map(encoder::encodeToString).toList(); // as the worker receives them
        this.pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon().name("raw-preprocess-", 1).factory());
    }

    /** Untimed passes over the first {@code images} images at every batch size that will be used (JIT, TorchScript). */
    void warmUp(int batch, int images, double seconds) throws TranslateException {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        do {
            sequential(batch, Math.min(images, base64.size()));
        } while (System.nanoTime() < end);
    }

    Pass sequential(int batch, int count) throws TranslateException {
        double cpu0 = ProcCpu.seconds(ProcessHandle.current().pid());
        long predict = 0;
        long start = System.nanoTime();
        for (int from = 0; from < count; from += batch) {
            List<float[]> pixels = new ArrayList<>(batch);
            for (int i = from; i < Math.min(count, from + batch); i++) {
                pixels.add(pixels(i));
            }
            long t0 = System.nanoTime();
            towers.embedImages(pixels);
            predict += System.nanoTime() - t0;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Pass(count, seconds, predict / 1e9, ProcCpu.seconds(ProcessHandle.current().pid()) - cpu0);
    }

    Pass pipelined(int batch, int count) throws TranslateException {
        double cpu0 = ProcCpu.seconds(ProcessHandle.current().pid());
        long predict = 0;
        long start = System.nanoTime();
        List<CompletableFuture<float[]>> pending = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int index = i;
            pending.add(CompletableFuture.supplyAsync(() -> pixels(index), pool));
        }
        for (int from = 0; from < count; from += batch) {
            List<float[]> pixels = new ArrayList<>(batch);
            for (int i = from; i < Math.min(count, from + batch); i++) {
                pixels.add(pending.get(i).join());
                pending.set(i, null);
            }
            long t0 = System.nanoTime();
            towers.embedImages(pixels);
            predict += System.nanoTime() - t0;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Pass(count, seconds, predict / 1e9, ProcCpu.seconds(ProcessHandle.current().pid()) - cpu0);
    }

    /** The first {@code count} images' embeddings: the reference the job's results are checked against. */
    float[][] embed(int batch, int count) throws TranslateException {
        float[][] out = new float[count][];
        for (int from = 0; from < count; from += batch) {
            List<float[]> pixels = new ArrayList<>();
            for (int i = from; i < Math.min(count, from + batch); i++) {
                pixels.add(pixels(i));
            }
            float[][] vectors = towers.embedImages(pixels);
            System.arraycopy(vectors, 0, out, from, vectors.length);
        }
        return out;
    }

    private float[] pixels(int i) {
        return preprocessor.preprocess(decoder.decode(Base64.getDecoder().decode(base64.get(i % base64.size()))));
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
