package io.montage.attack;

import com.fasterxml.jackson.databind.JsonNode;
import io.montage.attack.http.HttpSender;
import io.montage.attack.http.Reply;
import io.montage.attack.inputs.Json;
import io.montage.attack.probe.ProbeBuilder;

import java.time.Duration;
import java.util.Set;

/**
 * Ordinary, well-formed calls: setting up fixtures, following jobs, checking that the platform still works. A call
 * that should succeed and does not is a {@link SetupFailure}, which stops the run with the reason.
 */
public final class Client {

    /** The platform did not do something ordinary the suites build on. */
    public static final class SetupFailure extends RuntimeException {
        public SetupFailure(String message) {
            super(message);
        }
    }

    private final HttpSender sender;

    public Client(HttpSender sender) {
        this.sender = sender;
    }

    public HttpSender sender() {
        return sender;
    }

    public Reply send(String method, String path, String key, String json) {
        ProbeBuilder request = ProbeBuilder.probe("client", method + " " + path).method(method, path).key(key);
        if (json != null) {
            request.json(json);
        }
        return sender.send(request.request());
    }

    /** The parsed JSON reply of a call that must answer one of {@code statuses}. */
    public JsonNode require(String method, String path, String key, String json, Integer... statuses) {
        Reply reply = send(method, path, key, json);
        if (!Set.of(statuses).contains(reply.status())) {
            throw new SetupFailure(method + " " + path + " answered " + reply.statusOrFailure()
                    + ": " + reply.excerpt(300));
        }
        return Json.parse(reply.text()).orElseGet(() -> Json.parse("null").orElseThrow());
    }

    public JsonNode require(String method, String path, String key, String json) {
        return require(method, path, key, json, 200, 201, 202, 204);
    }

    /** Polls the job until it is no longer queued or running, at most {@code wait}; returns its last view. */
    public JsonNode awaitJob(String jobId, String key, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        JsonNode job = require("GET", "/v1/jobs/" + jobId, key, null, 200);
        while (isActive(job) && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(300));
            job = require("GET", "/v1/jobs/" + jobId, key, null, 200);
        }
        return job;
    }

    public static boolean isActive(JsonNode job) {
        String status = job.path("status").asText();
        return status.equals("queued") || status.equals("running");
    }

    public static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SetupFailure("interrupted");
        }
    }
}
