package io.montage.attack.hostile;

import io.montage.attack.Client;
import io.montage.attack.Fixtures;
import io.montage.attack.JobFollowUp;
import io.montage.attack.Keys;
import io.montage.attack.framing.FramingAttacks;
import io.montage.attack.http.Reply;
import io.montage.attack.probe.Probe;
import io.montage.attack.probe.ReplyChecks;
import io.montage.attack.report.Outcome;
import io.montage.attack.report.Report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs every hostile probe against the platform and judges each reply: the probe classes in parallel (a few at a
 * time), the raw-socket framing attacks alongside (their slow ones wait seconds each), the idempotency sequence and
 * the jobs those probes got accepted; then the heavy probes (compression bombs and oversized bodies, costly
 * requests, zips that expand to hundreds of megabytes, four of them at once) and their jobs, with tenant B's canary
 * running meanwhile. The heavy ones come last so that a stall they cause shows in the canary (and in the checks
 * after the run), not as timeouts scattered over every other class.
 */
public final class HostileSuite {

    private final Client client;
    private final Keys keys;
    private final Fixtures fixtures;
    private final Report report;
    private final int parallelism;
    private final JobFollowUp jobs;

    public HostileSuite(Client client, Keys keys, Fixtures fixtures, Report report, int parallelism) {
        this.client = client;
        this.keys = keys;
        this.fixtures = fixtures;
        this.report = report;
        this.parallelism = parallelism;
        this.jobs = new JobFollowUp(client, keys);
    }

    /** Every probe of the ordinary classes, in the order they are sent. */
    List<Probe> probes() {
        List<Probe> all = new ArrayList<>();
        for (Catalogue catalogue : List.of(new AuthProbes(keys, fixtures), new NulProbes(keys, fixtures),
                new JsonShapeProbes(keys, fixtures), new FilterProbes(keys, fixtures), new VectorProbes(keys, fixtures),
                new InputProbes(keys, fixtures), new BodyProbes(keys, fixtures), new ZipProbes(keys, fixtures),
                new HeaderProbes(keys, fixtures), new NamingProbes(keys, fixtures), new PredictProbes(keys, fixtures),
                new RequestIdProbes(keys, fixtures))) {
            all.addAll(catalogue.probes());
        }
        return all;
    }

    public void run() throws Exception {
        long started = System.nanoTime();
        try (ExecutorService framing = Executors.newFixedThreadPool(8)) {
            List<Future<Outcome>> attacks = new ArrayList<>();
            for (Callable<Outcome> attack : new FramingAttacks(client, keys).attacks()) {
                attacks.add(framing.submit(attack));
            }
            send(probes(), parallelism);
            for (Future<Outcome> attack : attacks) {
                report.add(attack.get());
            }
        }
        new IdempotencyChecks(client, keys).run().forEach(report::add);
        progress("probes and framing attacks", started);
        jobs.judge(Duration.ofSeconds(120)).forEach(report::add);
        progress("their jobs", started);
        Canary canary = new Canary(client.sender(), keys);
        List<Probe> heavy = new ArrayList<>(new BombProbes(keys, fixtures).probes());
        heavy.addAll(new CostProbes(keys, fixtures).probes());
        send(heavy, parallelism);
        send(new MemoryProbes(keys, fixtures).probes(), 4);
        report.add(canary.stop());
        jobs.judge(Duration.ofSeconds(60)).forEach(report::add);
        progress("heavy probes (bombs, costly requests, huge zips) and their jobs", started);
    }

    private static void progress(String done, long started) {
        System.err.println("attack: " + done + " done after " + (System.nanoTime() - started) / 1_000_000_000 + " s");
    }

    private void send(List<Probe> probes, int threads) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> sent = new ArrayList<>();
            for (Probe probe : probes) {
                sent.add(pool.submit(() -> report.add(judge(probe))));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        }
    }

    private Outcome judge(Probe probe) {
        Reply reply = client.sender().send(probe.request());
        jobs.noteIfJob(probe, reply);
        String target = probe.request().target();
        String sent = probe.request().method() + " " + (target.length() > 90 ? target.substring(0, 90) + "…" : target);
        return new Outcome(probe.category(), probe.description(), sent, reply.status(), reply.excerpt(240),
                ReplyChecks.check(probe, reply, keys.secrets()));
    }
}
