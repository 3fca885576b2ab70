package io.montage.bench.fairness;

import io.montage.bench.Latencies;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tenant B's view: one-text embedding requests, one after another (a closed loop of one client), for a while.
 * Every request is a different text, so nothing it asks for can have been computed before.
 */
final class Probe {

    /** B's latencies (successful requests only) and how many answers were not 200, by status. */
    record Sample(Latencies millis, Map<Integer, Integer> failures) {
    }

    private final TenantClient tenantB;
    private int sent;

    Probe(TenantClient tenantB) {
        this.tenantB = tenantB;
    }

    Sample run(double seconds, int maxRequests) throws InterruptedException {
        List<Double> millis = new ArrayList<>();
        Map<Integer, Integer> failures = new TreeMap<>();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end && millis.size() < maxRequests) {
            TenantClient.Answer answer = tenantB.postJson("/v1/embeddings",
                    "{\"input\":\"a photo of item " + (sent++) + " for tenant b\"}");
            if (answer.status() == 200) {
                millis.add(answer.millis());
            } else {
                failures.merge(answer.status(), 1, Integer::sum);
            }
        }
        return new Sample(new Latencies(millis), failures);
    }
}
