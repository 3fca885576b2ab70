package io.montage.attack.hostile;

import io.montage.attack.Fixtures;
import io.montage.attack.Keys;
import io.montage.attack.probe.Expect;
import io.montage.attack.probe.JobOutcome;
import io.montage.attack.probe.ProbeBuilder;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.montage.attack.probe.Expect.problem;
import static io.montage.attack.probe.Expect.status;

/**
 * Every route with every kind of bad credential (missing, malformed, mistyped, never issued, revoked, expired, of a
 * suspended tenant: 401 with the reason's code), with every single-scope key that lacks the route's scope (403),
 * and with the one that has it (not refused). Job types need the scopes of their work as well as jobs:write:
 * a jobs:write-only key cannot embed, classify or ingest through a job.
 */
final class AuthProbes extends Catalogue {

    /** A route with a well-formed request, and the scope it needs (null: any valid key). */
    private record Route(String method, String path, String contentType, String body, String scope) {
        String name() {
            return method + " " + path + (contentType == null || contentType.equals("application/json") ? "" : " (" + contentType + ")");
        }
    }

    AuthProbes(Keys keys, Fixtures fixtures) {
        super("auth", keys, fixtures);
    }

    private List<Route> routes() {
        String json = "application/json";
        String scratch = COLLECTIONS + "/" + Fixtures.SCRATCH;
        String vectorItem = "{\"items\":[{\"id\":\"scope-item\",\"vector\":" + f.vector() + "}]}";
        return List.of(
                new Route("GET", "/v1/models", null, null, null),
                new Route("GET", "/v1/models/" + f.model(), null, null, null),
                new Route("POST", EMBEDDINGS, json, "{\"input\":\"boot\"}", "inference"),
                new Route("POST", CLASSIFY, json, "{\"images\":[\"" + f.png() + "\"],\"labels\":[\"a\",\"b\"]}", "inference"),
                new Route("POST", SIMILARITY, json, "{\"images\":[\"" + f.png() + "\"],\"texts\":[\"a\"]}", "inference"),
                new Route("POST", JOBS, json, echoJob("{\"input\":1}"), "jobs:write"),
                new Route("POST", JOBS + "?type=echo", JSONL, "{\"input\":1}\n", "jobs:write"),
                new Route("GET", JOBS, null, null, "jobs:read"),
                new Route("GET", f.jobPath(), null, null, "jobs:read"),
                new Route("GET", f.jobPath() + "/items", null, null, "jobs:read"),
                new Route("GET", f.jobPath() + "/results", null, null, "jobs:read"),
                new Route("GET", f.jobPath() + "/errors", null, null, "jobs:read"),
                new Route("POST", f.jobPath() + "/cancel", null, null, "jobs:write"),
                new Route("POST", f.jobPath() + "/retry", null, null, "jobs:write"),
                new Route("POST", COLLECTIONS, json, "{\"name\":\"scope-made\"}", "collections:write"),
                new Route("GET", COLLECTIONS, null, null, "collections:read"),
                new Route("GET", f.collectionPath(), null, null, "collections:read"),
                new Route("POST", items(), json, vectorItem, "collections:write"),
                new Route("POST", items() + "/delete", json, "{\"ids\":[\"scope-item\"]}", "collections:write"),
                new Route("DELETE", items() + "/scope-item", null, null, "collections:write"),
                new Route("POST", search(), json, "{\"query\":{\"vector\":" + f.vector() + "}}", "collections:read"),
                new Route("POST", scratch + "/model", json, "{\"model\":\"" + f.model() + "\"}", "collections:write"),
                new Route("POST", scratch + "/model/cancel", null, null, "collections:write"),
                new Route("DELETE", COLLECTIONS + "/scope-made", null, null, "collections:write"),
                new Route("GET", EVALUATIONS + "/" + java.util.UUID.randomUUID(), null, null, "evaluations:read"));
    }

    private ProbeBuilder call(Route route, String description) {
        ProbeBuilder probe = probe(route.name() + ": " + description).method(route.method(), route.path());
        return route.body() == null ? probe : probe.body(route.body().getBytes(StandardCharsets.UTF_8), route.contentType());
    }

    @Override
    void build() {
        String badChecksum = keys.all().substring(0, keys.all().length() - 1)
                + (keys.all().endsWith("A") ? "B" : "A");
        String never = Keys.neverIssued();
        for (Route route : routes()) {
            add(call(route, "no Authorization").key(null).expect(problem(401, "missing_api_key")));
            add(call(route, "Basic credentials").key(null).header("Authorization", "Basic dXNlcjpwYXNz").expect(problem(401, "malformed_api_key")));
            add(call(route, "key too short").key("mtg_live_abc").expect(problem(401, "malformed_api_key")));
            add(call(route, "mistyped key").key(badChecksum).expect(problem(401, "invalid_api_key_checksum")));
            add(call(route, "never-issued key").key(never).expect(problem(401, "unknown_api_key")));
            add(call(route, "revoked key").key(keys.revoked()).expect(problem(401, "revoked_api_key")));
            add(call(route, "expired key").key(keys.expired()).expect(problem(401, "expired_api_key")));
            add(call(route, "key of a suspended tenant").key(keys.suspended()).expect(problem(401, "tenant_suspended")));
            for (String scope : Keys.SCOPES) {
                if (route.scope() != null && !scope.equals(route.scope())) {
                    add(call(route, "key with only " + scope).key(keys.single().get(scope)).expect(problem(403, "insufficient_scope")));
                }
            }
            String own = route.scope() == null ? "inference" : route.scope();
            add(call(route, "key with only " + own + " (enough)").key(keys.single().get(own)).expect(notRefusedForScope()));
        }
        String jobsWrite = keys.single().get("jobs:write");
        add(probe("embed job with only jobs:write").key(jobsWrite).post(JOBS)
                .json("{\"type\":\"embed\",\"items\":[{\"text\":\"boot\"}]}").expect(status(403)));
        add(probe("classify job with only jobs:write").key(jobsWrite).post(JOBS)
                .json("{\"type\":\"classify\",\"labels\":[\"a\",\"b\"],\"items\":[{\"image\":\"" + f.png() + "\"}]}").expect(status(403)));
        add(probe("ingest job with only jobs:write").key(jobsWrite).post(JOBS)
                .json("{\"type\":\"ingest\",\"collection\":\"target\",\"items\":[{\"item_id\":\"s1\",\"text\":\"boot\"}]}").expect(status(403)));
        add(probe("embed upload with only jobs:write").key(jobsWrite).post(JOBS + "?type=embed")
                .body("{\"text\":\"boot\"}\n".getBytes(StandardCharsets.UTF_8), JSONL).expect(status(403)));
        add(probe("ingest zip with only jobs:write").key(jobsWrite).post(JOBS + "?type=ingest&collection=target")
                .body(new io.montage.attack.inputs.ZipWriter().add("s.png", io.montage.attack.inputs.Images.png()).toBytes(), ZIP)
                .expect(status(403)));
        add(probe("echo job with only jobs:write (enough)").key(jobsWrite).post(JOBS).json(echoJob("{\"input\":1}"))
                .expect(Expect.success().job(JobOutcome.items(1, 0))));
        add(probe("GET /health without a key").key(null).get("/health").expect(status(200)));
        add(probe("GET /ready without a key").key(null).get("/ready").expect(status(200)));
        add(probe("lower-case bearer scheme").key(null).header("Authorization", "bearer " + keys.all()).get("/v1/models").expect(Expect.any()));
        add(probe("key followed by spaces").key(null).header("Authorization", "Bearer " + keys.all() + "   ").get("/v1/models").expect(Expect.any()));
        add(probe("Bearer and no key").key(null).header("Authorization", "Bearer ").get(JOBS).expect(status(401)));
        add(probe("key of 10,000 characters").key("mtg_live_" + "a".repeat(10_000)).get(JOBS).expect(Expect.refused()));
        add(probe("key with non-ASCII look-alike letters").key(keys.all().substring(0, 20) + '\u0430' + keys.all().substring(21)).get(JOBS).raw().expect(status(401)));
        add(probe("key as a query parameter only").key(null).get(JOBS + "?api_key=" + keys.all()).expect(status(401)));
        add(probe("key in a cookie only").key(null).header("Cookie", "Authorization=Bearer " + keys.all()).get(JOBS).expect(status(401)));
        add(probe("X-Api-Key header only").key(null).header("X-Api-Key", keys.all()).get(JOBS).expect(status(401)));
    }

    /** The scope suffices: whatever the answer, it is not a 401 or 403. */
    private static Expect notRefusedForScope() {
        return Expect.any().and("not refused for the key", r -> r.status() != 401 && r.status() != 403);
    }
}
