package io.montage.worker.inference;

import io.montage.models.Model;
import io.montage.testing.SharedContext;
import io.montage.testing.Vectors;
import io.montage.worker.fairshare.Flow;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Label sets are embedded once per tenant and class, however many of a job's tasks miss them together. */
class TextEmbeddingCacheTest {

    private static LoadedModel model;
    private static TextEmbeddingCache cache;

    @BeforeAll
    static void serveTheDemoModel() throws Exception {
        Model served = DemoBundle.served();
        model = SharedContext.bean(ModelServer.class).get(served.id()).orElseThrow();
        cache = SharedContext.bean(TextEmbeddingCache.class);
    }

    @Test
    void fourTasksMissingTogetherShareOneEmbedding() throws Exception {
        UUID tenant = UUID.randomUUID();
        List<String> labels = labels(500);
        CyclicBarrier together = new CyclicBarrier(4);
        ExecutorService tasks = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[][]>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Flow flow = new Flow(tenant, false, 64, "task " + t);
                Callable<float[][]> classify = () -> {
                    together.await();
                    return cache.labels(flow, model, labels, List.of("a photo of a {}."));
                };
                results.add(tasks.submit(classify));
            }
            float[][] first = results.getFirst().get();
            assertEquals(500, first.length);
            for (Future<float[][]> result : results) {
                assertSame(first, result.get(), "one embedding of the set, handed to every task");
            }
        } finally {
            tasks.shutdownNow();
        }
    }

    @Test
    void tenantsDoNotShareTheirLabels() throws Exception {
        List<String> labels = labels(3);
        List<String> templates = List.of("{}");
        float[][] a = cache.labels(new Flow(UUID.randomUUID(), true, 64, "a"), model, labels, templates);
        float[][] b = cache.labels(new Flow(UUID.randomUUID(), true, 64, "b"), model, labels, templates);
        assertNotSame(a, b);
        for (int i = 0; i < a.length; i++) {
            assertEquals(Vectors.cosine(a[i], b[i]), 1.0, 1e-6, "the same texts, embedded for each");
        }
    }

    private static List<String> labels(int count) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        return IntStream.range(0, count).mapToObj(i -> "label " + i + " " + run).toList();
    }
}
