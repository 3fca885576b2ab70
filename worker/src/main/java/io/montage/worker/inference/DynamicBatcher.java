package io.montage.worker.inference;

import io.montage.worker.fairshare.FairQueue;
import io.montage.worker.fairshare.Flow;
import io.montage.worker.tasks.TransientTaskException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Packs single requests from any number of tasks (and tenants) into batches of up to {@code maxBatch}, waiting at
 * most {@code maxDelay} after the first request for more to arrive while more may come: bulk requests are queued,
 * or another runner is busy. Interactive requests alone run at once (a caller waits on each, and nothing else is
 * under way to join them); while a batch runs, whatever arrives queues and goes together in the next. A batch is filled fairly, not first come,
 * first served ({@link FairQueue}): interactive requests first, then one request per tenant and per task in turn,
 * so one task's thousand requests cannot fill the batches while another's one waits. How many requests a task can
 * queue is bounded by its flow's window ({@link Flow#admit}). Each runner thread owns its own {@link BatchRunner}
 * (a DJL Predictor is not thread-safe), so runners never share one.
 *
 * @param <I> one request's input
 */
final class DynamicBatcher<I> implements AutoCloseable {

    /** Runs one batch; owned by one thread. */
    interface BatchRunner<I> extends AutoCloseable {
        float[][] run(List<I> batch) throws Exception;

        @Override
        void close();
    }

    private record Request<I>(I input, CompletableFuture<float[]> result) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(DynamicBatcher.class);

    /** How long an idle runner waits before it looks whether the batcher closed. */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final FairQueue<Request<I>> pending = new FairQueue<>();
    private final int maxBatch;
    private final long maxDelayNanos;
    private final List<Thread> runners = new ArrayList<>();
    private final AtomicInteger running = new AtomicInteger(); // runners inside a batch
    private volatile boolean open = true;

    DynamicBatcher(String name, int maxBatch, Duration maxDelay, int runnerCount, Supplier<BatchRunner<I>> runner) {
        this.maxBatch = maxBatch;
        this.maxDelayNanos = maxDelay.toNanos();
        for (int i = 0; i < runnerCount; i++) {
            BatchRunner<I> own = runner.get();
            runners.add(Thread.ofPlatform().daemon().name(name + "-" + i).start(() -> runBatches(own)));
        }
    }

    /** Queues one request as {@code flow}'s; it runs in the flow's turn. */
    CompletableFuture<float[]> submit(Flow flow, I input) {
        CompletableFuture<float[]> result = new CompletableFuture<>();
        if (!open) {
            result.completeExceptionally(new TransientTaskException("the model was unloaded"));
            return result;
        }
        pending.add(flow, new Request<>(input, result));
        return result;
    }

    private void runBatches(BatchRunner<I> runner) {
        try (runner) {
            while (open) {
                List<Request<I>> batch = nextBatch();
                if (batch.isEmpty()) {
                    continue;
                }
                running.incrementAndGet();
                try {
                    float[][] outputs = runner.run(batch.stream().map(Request::input).toList());
                    for (int i = 0; i < batch.size(); i++) {
                        batch.get(i).result().complete(outputs[i]);
                    }
                } catch (Exception | Error e) {
                    LOG.warn("a batch of {} failed", batch.size(), e);
                    batch.forEach(r -> r.result().completeExceptionally(e));
                } finally {
                    running.decrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            // closed
        } finally {
            failAll(new TransientTaskException("the model was unloaded"));
        }
    }

    /**
     * Waits for the first request, then, while company may come (see the class comment), gathers more until the
     * batch is full or maxDelay passed.
     */
    private List<Request<I>> nextBatch() throws InterruptedException {
        return pending.take(maxBatch, IDLE_NANOS, maxDelayNanos, () -> running.get() > 0);
    }

    private void failAll(RuntimeException reason) {
        pending.drain().forEach(request -> request.result().completeExceptionally(reason));
    }

    @Override
    public void close() {
        open = false;
        for (Thread runner : runners) {
            runner.interrupt();
            try {
                runner.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
