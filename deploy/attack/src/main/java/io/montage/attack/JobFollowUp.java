package io.montage.attack;

import com.fasterxml.jackson.databind.JsonNode;
import io.montage.attack.http.Header;
import io.montage.attack.http.Reply;
import io.montage.attack.inputs.Json;
import io.montage.attack.probe.JobOutcome;
import io.montage.attack.probe.Probe;
import io.montage.attack.probe.ReplyChecks;
import io.montage.attack.report.Outcome;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Jobs that probes got accepted, followed to their end: each must reach {@code succeeded} (bad items as item
 * errors, never a task retried to death), with the expected item counts, and every item error a stable code with
 * a message free of internals.
 */
public final class JobFollowUp {

    private record Submitted(Probe probe, String jobId, String key, JobOutcome expected) {
    }

    private final Client client;
    private final Keys keys;
    private final ConcurrentLinkedQueue<Submitted> submitted = new ConcurrentLinkedQueue<>();

    public JobFollowUp(Client client, Keys keys) {
        this.client = client;
        this.keys = keys;
    }

    /** Remembers the job a probe's 2xx answer created (POST /v1/jobs…), to follow it later. */
    public void noteIfJob(Probe probe, Reply reply) {
        boolean submission = probe.request().method().equals("POST") && probe.request().target().matches("/v1/jobs(\\?.*)?");
        if (!submission || reply.status() < 200 || reply.status() >= 300) {
            return;
        }
        Optional<String> id = Json.parse(reply.text()).map(job -> job.path("id").asText()).filter(s -> !s.isEmpty());
        String key = probe.request().headers().stream().filter(h -> h.name().equalsIgnoreCase("Authorization"))
                .map(Header::value).map(v -> keys.readerFor(v.substring("Bearer ".length()))).findFirst().orElse(null);
        JobOutcome expected = probe.expect().job() == null ? JobOutcome.FINISHES : probe.expect().job();
        id.ifPresent(jobId -> submitted.add(new Submitted(probe, jobId, key, expected)));
    }

    /** Waits (at most {@code wait} in all) for every job noted so far and judges each (once). */
    public List<Outcome> judge(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        List<Outcome> outcomes = new ArrayList<>();
        for (Submitted job = submitted.poll(); job != null; job = submitted.poll()) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            outcomes.add(judge(job, left));
        }
        return outcomes;
    }

    private Outcome judge(Submitted job, Duration wait) {
        List<String> failures = new ArrayList<>();
        JsonNode view;
        try {
            view = client.awaitJob(job.jobId(), job.key(), wait);
        } catch (Client.SetupFailure e) {
            return outcome(job, 0, List.of("cannot read the job: " + e.getMessage()), "");
        }
        String status = view.path("status").asText();
        JsonNode counts = view.path("counts");
        if (Client.isActive(view)) {
            failures.add("job still " + status + " when the follow-up time ran out");
        } else if (!status.equals("succeeded")) {
            failures.add("job ended " + status + " (expected succeeded, bad items as item errors)");
        }
        JobOutcome expected = job.expected();
        if (expected.succeeded() != null && counts.path("succeeded").asInt(-1) != expected.succeeded()) {
            failures.add("expected " + expected.succeeded() + " succeeded items, got " + counts.path("succeeded"));
        }
        if (expected.failed() != null && counts.path("failed").asInt(-1) != expected.failed()) {
            failures.add("expected " + expected.failed() + " failed items, got " + counts.path("failed"));
        }
        Reply errors = client.send("GET", "/v1/jobs/" + job.jobId() + "/errors", job.key(), null);
        String sent = job.probe().request().asText();
        if (errors.status() != 200) {
            failures.add("GET …/errors answered " + errors.statusOrFailure());
        } else {
            for (String line : errors.text().split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode error = Json.parse(line).map(e -> e.path("error")).orElse(null);
                if (error == null || !ReplyChecks.isCode(error.path("code").asText())) {
                    failures.add("an item error without a stable code: " + shorten(line));
                    break;
                }
                Optional<String> leak = ReplyChecks.internals(error.path("message").asText(), sent);
                if (leak.isPresent()) {
                    failures.add("item error message shows internals ('" + leak.get() + "'): " + shorten(line));
                    break;
                }
            }
        }
        return outcome(job, 200, failures, "status " + status + ", counts " + counts);
    }

    private static Outcome outcome(Submitted job, int status, List<String> failures, String excerpt) {
        return new Outcome(job.probe().category(), job.probe().description() + " → its job",
                "GET /v1/jobs/" + job.jobId(), status, excerpt, failures);
    }

    private static String shorten(String line) {
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
