package io.montage.attack.hostile;

import io.montage.attack.Client;
import io.montage.attack.Keys;
import io.montage.attack.http.Reply;
import io.montage.attack.inputs.Json;
import io.montage.attack.probe.Expect;
import io.montage.attack.probe.Probe;
import io.montage.attack.probe.ProbeBuilder;
import io.montage.attack.probe.ReplyChecks;
import io.montage.attack.report.Outcome;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Idempotency-Key abuse, in order: a replay returns the same job (200), the key with another body or as an upload
 * is 409 idempotency_key_reused, and five simultaneous submissions with one new key make one job (the others get it,
 * or 409 idempotency_key_in_use), never a 5xx.
 */
public final class IdempotencyChecks {

    private static final String CATEGORY = "idempotency";

    private final Client client;
    private final Keys keys;

    public IdempotencyChecks(Client client, Keys keys) {
        this.client = client;
        this.keys = keys;
    }

    public List<Outcome> run() throws Exception {
        List<Outcome> outcomes = new ArrayList<>();
        String key = "replay-" + UUID.randomUUID();
        String body = "{\"type\":\"echo\",\"items\":[{\"input\":\"once\"}]}";
        Probe first = submit("first submission with a key", key, body, "application/json", Expect.status(201));
        Reply created = record(outcomes, first);
        String id = Json.parse(created.text()).map(j -> j.path("id").asText()).orElse("");
        record(outcomes, submit("the same submission again", key, body, "application/json", Expect.status(200)
                .and("the same job comes back", r -> Json.parse(r.text()).map(j -> j.path("id").asText()).orElse("?").equals(id))));
        record(outcomes, submit("the key with another body", key, body.replace("once", "twice"), "application/json",
                Expect.problem(409, "idempotency_key_reused")));
        record(outcomes, submit("the key with an upload", key, "{\"input\":\"once\"}\n", "application/x-ndjson",
                Expect.problem(409, "idempotency_key_reused")));
        String raced = "race-" + UUID.randomUUID();
        Probe race = submit("five simultaneous submissions with one key", raced, body, "application/json", Expect.status(200, 201, 409));
        List<Reply> replies = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(5)) {
            List<Future<Reply>> futures = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                futures.add(pool.submit(() -> client.sender().send(race.request())));
            }
            for (Future<Reply> f : futures) {
                replies.add(f.get());
            }
        }
        for (Reply reply : replies) {
            List<String> failures = new ArrayList<>(ReplyChecks.check(race, reply, keys.secrets()));
            if (reply.status() == 409 && !ReplyChecks.code(reply).equals("idempotency_key_in_use")) {
                failures.add("a 409 other than idempotency_key_in_use: " + ReplyChecks.code(reply));
            }
            outcomes.add(new Outcome(CATEGORY, race.description(), "POST /v1/jobs", reply.status(), reply.excerpt(200), failures));
        }
        long createdCount = replies.stream().filter(r -> r.status() == 201).count();
        Set<String> ids = new java.util.HashSet<>();
        replies.stream().filter(r -> r.status() == 200 || r.status() == 201)
                .forEach(r -> Json.parse(r.text()).ifPresent(j -> ids.add(j.path("id").asText())));
        List<String> failures = new ArrayList<>();
        if (createdCount != 1 || ids.size() != 1) {
            failures.add(createdCount + " answers said 201 and " + ids.size() + " job ids came back; expected one job");
        }
        outcomes.add(new Outcome(CATEGORY, "five simultaneous submissions make one job", "POST /v1/jobs ×5", 0,
                "ids " + ids, failures));
        return outcomes;
    }

    private Probe submit(String description, String idempotencyKey, String body, String contentType, Expect expect) {
        String target = contentType.equals("application/json") ? "/v1/jobs" : "/v1/jobs?type=echo";
        return ProbeBuilder.probe(CATEGORY, description).key(keys.all()).post(target).header("Idempotency-Key", idempotencyKey)
                .body(body.getBytes(StandardCharsets.UTF_8), contentType).expect(expect);
    }

    private Reply record(List<Outcome> outcomes, Probe probe) {
        Reply reply = client.sender().send(probe.request());
        outcomes.add(new Outcome(CATEGORY, probe.description(), probe.request().method() + " " + probe.request().target(),
                reply.status(), reply.excerpt(200), ReplyChecks.check(probe, reply, keys.secrets())));
        return reply;
    }
}
