package io.montage.bench.fairness;

import io.montage.bench.Latencies;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tenant A's load (a): the most costly synchronous request the caps allow, sent again and again by a few
 * closed-loop clients. Each request names new labels, so the worker's label-embedding cache never saves A the
 * work: every request costs its full number of text encodings.
 */
final class CostlyLoad implements AutoCloseable {

    private final TenantClient tenantA;
    private final List<String> images;
    private final int labels;
    private final int templates;
    private final List<Thread> clients = new ArrayList<>();
    private final List<Double> millis = Collections.synchronizedList(new ArrayList<>());
    private final Map<Integer, Integer> statuses = Collections.synchronizedMap(new TreeMap<>());
    private final AtomicInteger requestNumber = new AtomicInteger();
    private volatile boolean running = true;

    CostlyLoad(TenantClient tenantA, List<String> imageDataUrls, int labels, int templates) {
        this.tenantA = tenantA;
        this.images = imageDataUrls;
        this.labels = labels;
        this.templates = templates;
    }

    /** The request body, with labels no earlier request used. */
    String body(int request) {
        StringBuilder json = new StringBuilder("{\"images\":[");
        for (int i = 0; i < images.size(); i++) {
            json.append(i == 0 ? "" : ",").append('"').append(images.get(i)).append('"');
        }
        json.append("],\"labels\":[");
        for (int l = 0; l < labels; l++) {
            json.append(l == 0 ? "" : ",").append("\"kind ").append(l).append(" of batch ").append(request).append('"');
        }
        json.append("],\"templates\":[");
        for (int t = 0; t < templates; t++) {
            json.append(t == 0 ? "" : ",").append("\"a photo of a {}, style ").append(t).append('"');
        }
        return json.append("]}").toString();
    }

    /** What one request asks for, for the report. */
    String describe() {
        return images.size() + " images × " + labels + " labels × " + templates + " templates ("
                + (labels * templates) + " text encodings + " + images.size() + " image encodings per request)";
    }

    /** One request, synchronously: its answer (to check the caps admit it before the load starts). */
    TenantClient.Answer once() throws InterruptedException {
        return tenantA.postJson("/v1/classify", body(requestNumber.getAndIncrement()));
    }

    void start(int clientCount) {
        for (int c = 0; c < clientCount; c++) {
            clients.add(Thread.ofPlatform().daemon().name("tenant-a-costly-" + c).start(() -> {
                while (running) {
                    try {
                        TenantClient.Answer answer = once();
                        statuses.merge(answer.status(), 1, Integer::sum);
                        if (answer.status() == 200) {
                            millis.add(answer.millis());
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
    }

    /** A's own requests while the load ran: latencies of the successful ones, and statuses. */
    String summary() {
        return "A's costly requests: " + statuses + ", p50 " + io.montage.bench.Numbers.num(new Latencies(
                new ArrayList<>(millis)).median()) + " ms";
    }

    /** Stops sending and waits for the requests in flight, so the next phase starts on a quiet platform. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread client : clients) {
            client.join();
        }
    }
}
