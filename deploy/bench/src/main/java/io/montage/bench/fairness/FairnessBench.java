package io.montage.bench.fairness;

import io.montage.bench.Latencies;
import io.montage.bench.Machine;
import io.montage.bench.NamedArgs;
import io.montage.bench.Numbers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Tenant fairness under load, the goal of issue 8: tenant B's one-text embedding latency (p50/p99) when the platform
 * is idle, and again while tenant A runs (a) the most costly synchronous request the caps allow, from a few clients
 * at once, and (b) a 100k-item bulk job. The target: B's p99 under load ≤ 2 × B's idle p99. All phases run in one
 * process, one after the other, on the same platform (a shared machine's numbers compare only side by side); idle
 * is measured again at the end to show how much the machine itself drifted.
 */
public final class FairnessBench {

    private final NamedArgs args;

    private FairnessBench(NamedArgs args) {
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        NamedArgs args = NamedArgs.parse(argv, List.of("api", "key-a", "key-b", "images"), "--api URL --key-a KEY "
                + "--key-b KEY --images DIR [--seconds 30 --costly-images 64 --costly-labels 512 --costly-templates 8 "
                + "--costly-clients 2 --bulk-items 100000 --out FILE --note TEXT]");
        args.publish(new FairnessBench(args).run());
    }

    private int integer(String name, int fallback) {
        return args.integer(name, fallback);
    }

    private String run() throws Exception {
        TenantClient tenantA = new TenantClient(args.get("api"), args.get("key-a"));
        Probe probe = new Probe(new TenantClient(args.get("api"), args.get("key-b")));
        double seconds = Double.parseDouble(args.get("seconds", "30"));
        int maxRequests = integer("max-requests", 5000);
        List<String> photos = photos(Path.of(args.get("images")), "");
        List<String> rows = new ArrayList<>();

        probe.run(5, 200); // warm-up: JIT, connections, the model's first calls
        Probe.Sample idle = probe.run(seconds, maxRequests);
        rows.add(row("idle", idle, idle, "–"));

        CostlyLoad costly = new CostlyLoad(tenantA, repeat(photos, integer("costly-images", 64)),
                integer("costly-labels", 512), integer("costly-templates", 8));
        TenantClient.Answer admitted = costly.once();
        if (admitted.status() != 200) {
            throw new IllegalStateException("the costly request is not admitted (" + admitted.status() + "): "
                    + admitted.body().substring(0, Math.min(300, admitted.body().length()))
                    + " — set --costly-* within the caps");
        }
        Probe.Sample underCostly;
        try (costly) {
            costly.start(integer("costly-clients", 2));
            Thread.sleep(2000); // A's requests are in the worker before B's first is timed
            underCostly = probe.run(seconds, maxRequests);
        }
        rows.add(row("A: costly sync requests", underCostly, idle, costly.describe() + ", "
                + integer("costly-clients", 2) + " clients; one took " + Numbers.num(admitted.millis())
                + " ms alone; " + costly.summary()));

        Path dir = Files.createTempDirectory("fairness-bench");
        Probe.Sample underBulk;
        String bulkNote;
        try (BulkLoad bulk = new BulkLoad(tenantA, photos(Path.of(args.get("images")), "fmnist_"), integer("bulk-items", 100_000), dir)) {
            bulk.startAndAwaitProgress();
            BulkLoad.Progress before = bulk.progress();
            long start = System.nanoTime();
            underBulk = probe.run(seconds, maxRequests);
            BulkLoad.Progress after = bulk.progress();
            double rate = (after.succeeded() - before.succeeded()) / ((System.nanoTime() - start) / 1e9);
            bulkNote = bulk.describe() + "; A's job ran at " + Numbers.num(rate) + " items/s meanwhile"
                    + (after.running() ? "" : " and ENDED (" + after.status() + ") before the probe did: B was "
                    + "partly measured without load; use more items");
        }
        rows.add(row("A: bulk job", underBulk, idle, bulkNote));
        Probe.Sample idleAgain = probe.run(seconds, maxRequests);
        rows.add(row("idle again (drift check)", idleAgain, idle, "–"));
        return report(rows, idle, underCostly, underBulk);
    }

    private String report(List<String> rows, Probe.Sample idle, Probe.Sample costly, Probe.Sample bulk) {
        StringBuilder out = new StringBuilder("### Fairness: tenant B's 1-text embeddings while tenant A loads the platform\n\n");
        out.append("- machine: ").append(Machine.describe()).append("; load average at the end ")
                .append(Machine.loadAverage()).append('\n');
        out.append("- B: one client, sequential `POST /v1/embeddings` of one new text each; A: other clients of the same "
                + "api, worker and PostgreSQL, all on this machine\n");
        args.notes().forEach(note -> out.append("- ").append(note).append('\n'));
        out.append("\n| phase | B p50 (ms) | B p90 | B p99 | B max | B requests | B not 200 | p99 ÷ idle p99 | A meanwhile |\n");
        out.append("|---|---:|---:|---:|---:|---:|---|---:|---|\n");
        rows.forEach(r -> out.append(r).append('\n'));
        double worst = Math.max(costly.millis().percentile(99), bulk.millis().percentile(99));
        out.append(String.format(Locale.ROOT, "%nGoal B p99 under load ≤ 2 × idle p99: worst ratio %.2f — %s%n",
                worst / idle.millis().percentile(99), worst <= 2 * idle.millis().percentile(99) ? "met" : "MISSED"));
        return out.toString();
    }

    private static String row(String phase, Probe.Sample sample, Probe.Sample idle, String meanwhile) {
        Latencies l = sample.millis();
        return "| " + phase + " | " + Numbers.num(l.median()) + " | " + Numbers.num(l.percentile(90)) + " | "
                + Numbers.num(l.percentile(99)) + " | " + Numbers.num(l.max()) + " | " + l.count() + " | "
                + (sample.failures().isEmpty() ? "0" : sample.failures().toString()) + " | "
                + Numbers.num(l.percentile(99) / idle.millis().percentile(99)) + " | " + meanwhile + " |";
    }

    /**
     * The demo bundle's reference photos whose names start with {@code prefix}, as data URLs: all of them (real
     * photos and Fashion-MNIST images) for A's costly requests; the 28×28 Fashion-MNIST ones for the bulk job, so
     * that its 100k items upload as ~60 MB, a catalogue job's size, rather than a gigabyte.
     */
    private static List<String> photos(Path dir, String prefix) throws java.io.IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> urls = new ArrayList<>();
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (!name.startsWith(prefix)) {
                    continue;
                }
                String type = name.endsWith(".png") ? "image/png" : name.endsWith(".jpg") ? "image/jpeg" : null;
                if (type != null) {
                    urls.add("data:" + type + ";base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(f)));
                }
            }
            return urls;
        }
    }

    private static List<String> repeat(List<String> items, int count) {
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(items.get(i % items.size()));
        }
        return out;
    }
}
