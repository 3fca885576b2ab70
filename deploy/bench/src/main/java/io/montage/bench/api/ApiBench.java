package io.montage.bench.api;

import io.montage.bench.Latencies;
import io.montage.bench.cpu.CpuUsage;
import io.montage.bench.cpu.ProcessSet;
import io.montage.bench.inputs.BenchImage;
import io.montage.bench.inputs.ImageSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Closed-loop load on a running platform: C callers, each sending its next request as soon as the last one is
 * answered. A closed loop measures what the platform sustains without queues growing without bound; the price is
 * that latency at high C includes waiting behind the other callers, which is the point of reporting it per C.
 * Bounded twice: at most {@code maxRequests} requests and no new request after {@code seconds}.
 */
public final class ApiBench {

    /** Bodies cycled through: enough that consecutive requests carry different images. */
    private static final int DISTINCT_BODIES = 8;

    private final EmbeddingsClient client;
    private final Map<String, ImageSet> sets;
    private final double seconds;
    private final int maxRequests;
    private final int warmupPerClient;
    private final List<ProcessSet> measured;

    /** @param measured the processes whose CPU time is read around each timed phase (may be empty) */
    public ApiBench(String apiUrl, String key, String model, Map<String, ImageSet> sets, double seconds,
                    int maxRequests, int warmupPerClient, List<ProcessSet> measured) {
        this.client = new EmbeddingsClient(apiUrl, key, model);
        this.sets = sets;
        this.seconds = seconds;
        this.maxRequests = maxRequests;
        this.warmupPerClient = warmupPerClient;
        this.measured = List.copyOf(measured);
    }

    /**
     * Drives every scenario, untimed, for {@code seconds} in all: the api's and worker's JIT compile the request
     * path once here instead of in the first scenario's numbers (a few requests per scenario are not enough).
     */
    public void warmUp(List<ApiScenario> scenarios, double seconds) throws InterruptedException {
        for (ApiScenario scenario : scenarios) {
            drive(scenario, bodies(scenario), Integer.MAX_VALUE,
                    System.nanoTime() + (long) (seconds / scenarios.size() * 1e9));
        }
    }

    public ApiResult run(ApiScenario scenario) throws Exception {
        List<EmbeddingsClient.Body> bodies = bodies(scenario);
        // Warm-up: connections, and the batcher at this load; not recorded.
        drive(scenario, bodies, scenario.clients() * warmupPerClient, Long.MAX_VALUE);
        if (measured.isEmpty()) {
            return drive(scenario, bodies, maxRequests, System.nanoTime() + (long) (seconds * 1e9));
        }
        CpuUsage.Measured<ApiResult> timed = CpuUsage.measure(measured,
                () -> drive(scenario, bodies, maxRequests, System.nanoTime() + (long) (seconds * 1e9)));
        return timed.result().withCpu(timed.cpu());
    }

    private List<EmbeddingsClient.Body> bodies(ApiScenario scenario) {
        if (scenario.set().equals(ApiScenario.TEXT)) {
            List<EmbeddingsClient.Body> bodies = new ArrayList<>();
            for (int b = 0; b < DISTINCT_BODIES; b++) {
                int first = b * scenario.perRequest();
                bodies.add(client.textBody(java.util.stream.IntStream.range(first, first + scenario.perRequest())
                        .mapToObj(i -> "a photo of item " + i).toList(), scenario.format()));
            }
            return bodies;
        }
        ImageSet set = sets.get(scenario.set());
        if (set == null) {
            throw new IllegalArgumentException("no image set " + scenario.set() + "; there are " + sets.keySet()
                    + " and " + ApiScenario.TEXT);
        }
        List<EmbeddingsClient.Body> bodies = new ArrayList<>();
        for (int b = 0, next = 0; b < DISTINCT_BODIES; b++) {
            List<BenchImage> images = new ArrayList<>();
            for (int i = 0; i < scenario.perRequest(); i++, next++) {
                images.add(set.images().get(next % set.images().size()));
            }
            bodies.add(client.body(images, scenario.format()));
        }
        return bodies;
    }

    /** Embeds one image through the api and returns the cosine with {@code reference} (normalised). */
    public double cosine(BenchImage image, float[] reference) throws InterruptedException {
        EmbeddingsClient.Answer answer = client.post(client.body(List.of(image), "float"));
        if (answer.status() != 200) {
            throw new IllegalStateException("the api answered " + answer.status() + ": "
                    + EmbeddingsAnswers.abbreviate(answer.body()));
        }
        float[] api = EmbeddingsAnswers.firstEmbedding(answer.body());
        if (api.length != reference.length) {
            throw new IllegalStateException("the api's embedding has " + api.length + " values, raw " + reference.length);
        }
        double dot = 0;
        for (int i = 0; i < api.length; i++) {
            dot += api[i] * (double) reference[i];
        }
        return dot;
    }

    private ApiResult drive(ApiScenario scenario, List<EmbeddingsClient.Body> bodies, int limit, long deadline)
            throws InterruptedException {
        AtomicInteger issued = new AtomicInteger();
        AtomicInteger succeeded = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        Queue<Double> latencies = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        AtomicLong lastAnswer = new AtomicLong(start);
        List<Thread> callers = new ArrayList<>();
        for (int c = 0; c < scenario.clients(); c++) {
            callers.add(Thread.ofPlatform().name("bench-client-" + c).start(() -> {
                int i;
                while ((i = issued.getAndIncrement()) < limit && System.nanoTime() < deadline) {
                    EmbeddingsClient.Answer answer;
                    try {
                        answer = client.post(bodies.get(i % bodies.size()));
                    } catch (InterruptedException e) {
                        return;
                    }
                    lastAnswer.accumulateAndGet(System.nanoTime(), Math::max);
                    if (answer.status() == 200
                            && EmbeddingsAnswers.embeddingCount(answer.body()) == scenario.perRequest()) {
                        succeeded.incrementAndGet();
                        latencies.add(answer.millis());
                    } else {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, answer.status() + " " + EmbeddingsAnswers.abbreviate(answer.body()));
                    }
                }
            }));
        }
        for (Thread caller : callers) {
            caller.join();
        }
        return new ApiResult(scenario, succeeded.get(), failed.get(), (lastAnswer.get() - start) / 1e9,
                new Latencies(new ArrayList<>(latencies)), firstFailure.get(), null);
    }
}
