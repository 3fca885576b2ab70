package io.montage.attack.crosstenant;

import com.fasterxml.jackson.databind.JsonNode;
import io.montage.attack.Client;
import io.montage.attack.Fixtures;
import io.montage.attack.Keys;
import io.montage.attack.http.Reply;
import io.montage.attack.inputs.Bodies;
import io.montage.attack.inputs.Images;
import io.montage.attack.inputs.Json;
import io.montage.attack.inputs.ZipWriter;
import io.montage.attack.probe.Expect;
import io.montage.attack.probe.Probe;
import io.montage.attack.probe.ProbeBuilder;
import io.montage.attack.probe.ReplyChecks;
import io.montage.attack.report.Outcome;
import io.montage.attack.report.Report;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Tenant B creates jobs, a collection and items (and has an evaluation run, started by the script's admin command);
 * tenant A, holding every scope, then calls every route with B's ids. Each call must answer exactly what the same call with an id that never existed answers (404, same code),
 * never B's data; listings must not show B's resources; and B's resources must be unchanged afterwards.
 */
public final class CrossTenantSuite {

    private static final String CATEGORY = "cross-tenant";
    private static final String B_COLLECTION = "b-private";
    private static final String B_ITEM = "b-secret-1";
    /** Strings only B's resources hold: no reply to A may contain them. */
    private static final List<String> B_MARKERS = List.of("b-metadata-secret", "b-job-secret", "b-custom-secret", "red sneaker",
            "b-eval-secret");

    private final Client client;
    private final Keys keys;
    private final Fixtures fixtures;
    private final Report report;
    private final List<String> markers = new ArrayList<>(B_MARKERS);

    private String finishedJob;
    private String runningJob;
    private String idempotentJob;
    private String idempotencyKey;

    public CrossTenantSuite(Client client, Keys keys, Fixtures fixtures, Report report) {
        this.client = client;
        this.keys = keys;
        this.fixtures = fixtures;
        this.report = report;
    }

    public void run() {
        createTenantB();
        Map<String, String> before = snapshotB();
        runningJob = submitB("{\"type\":\"embed\",\"items\":" + Bodies.array(300, i -> "{\"custom_id\":\"b-" + i
                + "\",\"text\":\"b text " + i + "\"}") + "}", null);
        jobRoutes();
        collectionRoutes();
        itemRoutes();
        evaluationRoutes();
        listings();
        namespaces();
        fromB();
        JsonNode running = client.awaitJob(runningJob, keys.tenantB(), Duration.ofSeconds(90));
        List<String> failures = new ArrayList<>();
        if (!running.path("status").asText().equals("succeeded")) {
            failures.add("B's job ended " + running.path("status").asText() + " after A's calls, expected succeeded");
        }
        report.add(new Outcome(CATEGORY, "B's running job was not cancelled by A", "GET /v1/jobs/" + runningJob, 200,
                running.path("status").asText(), failures));
        Map<String, String> after = snapshotB();
        before.forEach((what, state) -> {
            String now = after.get(what);
            report.add(new Outcome(CATEGORY, "B's " + what + " unchanged", what, 200, "",
                    state.equals(now) ? List.of() : List.of("changed: was " + shorten(state) + ", now " + shorten(now))));
        });
    }

    private void createTenantB() {
        String b = keys.tenantB();
        Fixtures.fresh(client, b, B_COLLECTION);
        Fixtures.fresh(client, keys.all(), B_COLLECTION);
        client.require("POST", "/v1/collections", b, "{\"name\":\"" + B_COLLECTION + "\"}", 201);
        client.require("POST", "/v1/collections/" + B_COLLECTION + "/items", b, "{\"items\":[{\"id\":\"" + B_ITEM
                + "\",\"vector\":" + Bodies.direction(fixtures.dimension(), 9) + ",\"metadata\":{\"owner\":\"b\",\"secret\":\"b-metadata-secret\"}},"
                + "{\"id\":\"b-secret-2\",\"text\":\"red sneaker\",\"metadata\":{\"secret\":\"b-metadata-secret\"}}]}", 200);
        markers.add(client.require("GET", "/v1/collections/" + B_COLLECTION, b, null, 200).path("id").asText());
        finishedJob = submitB("{\"type\":\"echo\",\"items\":[{\"custom_id\":\"b-custom-secret\",\"input\":{\"secret\":\"b-job-secret\"}},"
                + "{\"custom_id\":\"b-fails\",\"input\":{\"fail\":\"b-job-secret\"}}]}", null);
        idempotencyKey = "shared-" + UUID.randomUUID();
        idempotentJob = submitB("{\"type\":\"echo\",\"items\":[{\"input\":\"same body\"}]}", idempotencyKey);
        Reply upload = client.sender().send(ProbeBuilder.probe(CATEGORY, "B uploads").key(b)
                .post("/v1/jobs?type=ingest&collection=" + B_COLLECTION)
                .body("{\"item_id\":\"b-secret-3\",\"text\":\"red sneaker\",\"metadata\":{\"secret\":\"b-metadata-secret\"}}\n"
                        .getBytes(StandardCharsets.UTF_8), "application/x-ndjson").request());
        if (upload.status() != 201) {
            throw new Client.SetupFailure("tenant B's upload was not accepted: " + upload.status() + " " + upload.excerpt(200));
        }
        String ingest = Json.parse(upload.text()).orElseThrow().path("id").asText();
        for (String job : List.of(finishedJob, idempotentJob, ingest)) {
            client.awaitJob(job, b, Duration.ofSeconds(60));
        }
    }

    /** A job of B's (JSON body), with an Idempotency-Key when given; returns its id. */
    private String submitB(String body, String idempotency) {
        ProbeBuilder request = ProbeBuilder.probe(CATEGORY, "B submits").post("/v1/jobs").key(keys.tenantB()).json(body);
        if (idempotency != null) {
            request.header("Idempotency-Key", idempotency);
        }
        Reply reply = client.sender().send(request.request());
        if (reply.status() != 201) {
            throw new Client.SetupFailure("tenant B's job was not created: " + reply.status() + " " + reply.excerpt(200));
        }
        return Json.parse(reply.text()).orElseThrow().path("id").asText();
    }

    /** What B can see of its own resources, to compare before and after A's calls. */
    private Map<String, String> snapshotB() {
        String b = keys.tenantB();
        Map<String, String> state = new LinkedHashMap<>();
        for (String path : List.of("/v1/collections/" + B_COLLECTION, "/v1/collections", "/v1/jobs/" + finishedJob,
                "/v1/jobs/" + finishedJob + "/items", "/v1/jobs/" + finishedJob + "/results", "/v1/jobs/" + finishedJob + "/errors",
                "/v1/jobs/" + idempotentJob)) {
            state.put("GET " + path, client.send("GET", path, b, null).text());
        }
        state.put("search by " + B_ITEM, client.send("POST", "/v1/collections/" + B_COLLECTION + "/search", b,
                "{\"query\":{\"item_id\":\"" + B_ITEM + "\"},\"exact\":true}").text());
        return state;
    }

    private void jobRoutes() {
        String none = UUID.randomUUID().toString();
        for (String job : List.of(finishedJob, runningJob, idempotentJob)) {
            for (String suffix : List.of("", "/items", "/items?status=succeeded", "/items?status=failed", "/results", "/errors")) {
                same("GET /v1/jobs/{B's job}" + suffix, "GET", "/v1/jobs/" + job + suffix, "/v1/jobs/" + none + suffix, null, null);
            }
            same("POST /v1/jobs/{B's job}/cancel", "POST", "/v1/jobs/" + job + "/cancel", "/v1/jobs/" + none + "/cancel", null, null);
            same("POST /v1/jobs/{B's job}/retry", "POST", "/v1/jobs/" + job + "/retry", "/v1/jobs/" + none + "/retry", null, null);
        }
    }

    private void collectionRoutes() {
        String b = "/v1/collections/" + B_COLLECTION;
        String none = "/v1/collections/never-existed-" + UUID.randomUUID().toString().substring(0, 8);
        same("GET a collection of B", "GET", b, none, null, null);
        same("search B's collection by text", "POST", b + "/search", none + "/search", "{\"query\":{\"text\":\"red sneaker\"}}", null);
        same("search B's collection by vector", "POST", b + "/search", none + "/search", "{\"query\":{\"vector\":" + fixtures.vector() + "}}", null);
        same("search B's collection by B's item", "POST", b + "/search", none + "/search", "{\"query\":{\"item_id\":\"" + B_ITEM + "\"}}", null);
        same("search B's collection with B's metadata as a filter", "POST", b + "/search", none + "/search",
                "{\"query\":{\"vector\":" + fixtures.vector() + "},\"filter\":{\"secret\":\"b-metadata-secret\"},\"exact\":true}", null);
        same("write an item into B's collection", "POST", b + "/items", none + "/items",
                "{\"items\":[{\"id\":\"from-a\",\"vector\":" + fixtures.vector() + "}]}", null);
        same("overwrite B's item", "POST", b + "/items", none + "/items",
                "{\"items\":[{\"id\":\"" + B_ITEM + "\",\"vector\":" + fixtures.vector() + ",\"metadata\":{\"owner\":\"a\"}}]}", null);
        same("delete B's items by id", "POST", b + "/items/delete", none + "/items/delete", "{\"ids\":[\"" + B_ITEM + "\"]}", null);
        same("delete B's item", "DELETE", b + "/items/" + B_ITEM, none + "/items/" + B_ITEM, null, null);
        same("switch B's collection's model", "POST", b + "/model", none + "/model", "{\"model\":\"" + fixtures.model() + "\"}", null);
        same("cancel B's model switch", "POST", b + "/model/cancel", none + "/model/cancel", null, null);
        same("delete B's collection", "DELETE", b, none, null, null);
        String noneName = none.substring(none.lastIndexOf('/') + 1);
        same("ingest job into B's collection", "POST", "/v1/jobs", "/v1/jobs",
                "{\"type\":\"ingest\",\"collection\":\"" + B_COLLECTION + "\",\"items\":[{\"item_id\":\"from-a\",\"text\":\"a\"}]}",
                "{\"type\":\"ingest\",\"collection\":\"" + noneName + "\",\"items\":[{\"item_id\":\"from-a\",\"text\":\"a\"}]}");
        sameUpload("ingest upload into B's collection", "/v1/jobs?type=ingest&collection=" + B_COLLECTION,
                "/v1/jobs?type=ingest&collection=" + noneName, "{\"item_id\":\"from-a\",\"text\":\"a\"}\n".getBytes(StandardCharsets.UTF_8),
                "application/x-ndjson");
        sameUpload("ingest zip into B's collection", "/v1/jobs?type=ingest&collection=" + B_COLLECTION,
                "/v1/jobs?type=ingest&collection=" + noneName, new ZipWriter().add("from-a.png", Images.png()).toBytes(), "application/zip");
    }

    private void itemRoutes() {
        String a = fixtures.collectionPath();
        same("search A's collection by B's item id", "POST", a + "/search", a + "/search",
                "{\"query\":{\"item_id\":\"" + B_ITEM + "\"}}", "{\"query\":{\"item_id\":\"never-existed\"}}");
        same("delete B's item id from A's collection", "DELETE", a + "/items/" + B_ITEM, a + "/items/never-existed", null, null);
        Probe delete = ProbeBuilder.probe(CATEGORY, "delete B's item ids from A's collection").key(keys.all())
                .post(a + "/items/delete").json("{\"ids\":[\"" + B_ITEM + "\",\"b-secret-2\"]}")
                .expect(Expect.status(200).and("nothing was deleted", r -> Json.parse(r.text()).map(j -> j.path("deleted").asInt(-1) == 0).orElse(false)));
        judge(delete);
        Probe header = ProbeBuilder.probe(CATEGORY, "A's key with tenant-selecting headers").key(keys.all())
                .header("X-Tenant-Id", "attack-b").header("X-Montage-Tenant", "attack-b").get("/v1/jobs/" + finishedJob)
                .expect(Expect.problem(404, "job_not_found"));
        judge(header);
    }

    /** B's evaluation run (its dataset and templates name b-eval-secret): A's key must not tell it exists. */
    private void evaluationRoutes() {
        String none = "/v1/evaluations/" + UUID.randomUUID();
        same("GET an evaluation run of B", "GET", "/v1/evaluations/" + keys.tenantBEvaluation(), none, null, null);
        Probe own = ProbeBuilder.probe(CATEGORY, "B reads its own evaluation run").key(keys.tenantB())
                .get("/v1/evaluations/" + keys.tenantBEvaluation()).expect(Expect.status(200));
        judge(own);
    }

    private void listings() {
        List<String> bIds = List.of(finishedJob, runningJob, idempotentJob, B_COLLECTION);
        for (String path : List.of("/v1/jobs?limit=1000", "/v1/jobs?after=" + finishedJob, "/v1/jobs?after=" + runningJob + "&limit=1000",
                "/v1/jobs?status=succeeded&limit=1000", "/v1/collections")) {
            Probe list = ProbeBuilder.probe(CATEGORY, "A's listing shows none of B's resources: " + path).key(keys.all()).get(path)
                    .expect(Expect.any().and("no id or name of B's", r -> bIds.stream().noneMatch(id -> r.text().contains(id)
                            && !path.contains(id))));
            judge(list);
        }
    }

    private void namespaces() {
        Probe reuse = ProbeBuilder.probe(CATEGORY, "A reuses B's Idempotency-Key with B's body").key(keys.all()).post("/v1/jobs")
                .header("Idempotency-Key", idempotencyKey).json("{\"type\":\"echo\",\"items\":[{\"input\":\"same body\"}]}")
                .expect(Expect.status(201).and("a new job of A's, not B's", r -> !r.text().contains(idempotentJob)));
        judge(reuse);
        judge(ProbeBuilder.probe(CATEGORY, "A creates a collection with B's collection's name").key(keys.all()).post("/v1/collections")
                .json("{\"name\":\"" + B_COLLECTION + "\"}").expect(Expect.status(201)));
        judge(ProbeBuilder.probe(CATEGORY, "A deletes its own collection of that name").key(keys.all())
                .delete("/v1/collections/" + B_COLLECTION).expect(Expect.status(204)));
        judge(ProbeBuilder.probe(CATEGORY, "A deletes it again (gone; B's stays)").key(keys.all())
                .delete("/v1/collections/" + B_COLLECTION).expect(Expect.problem(404, "collection_not_found")));
    }

    /** The other way round: B's key with A's ids. */
    private void fromB() {
        String none = UUID.randomUUID().toString();
        sameAs(keys.tenantB(), "B reads A's job", "GET", fixtures.jobPath(), "/v1/jobs/" + none, null, null);
        sameAs(keys.tenantB(), "B reads A's job results", "GET", fixtures.jobPath() + "/results", "/v1/jobs/" + none + "/results", null, null);
        sameAs(keys.tenantB(), "B reads A's collection", "GET", fixtures.collectionPath(), "/v1/collections/never-existed-b", null, null);
        sameAs(keys.tenantB(), "B searches A's collection by A's item", "POST", fixtures.collectionPath() + "/search",
                "/v1/collections/never-existed-b/search", "{\"query\":{\"item_id\":\"v1\"}}", null);
        sameAs(keys.tenantB(), "B searches its collection by A's item id", "POST", "/v1/collections/" + B_COLLECTION + "/search",
                "/v1/collections/" + B_COLLECTION + "/search", "{\"query\":{\"item_id\":\"v1\"}}", "{\"query\":{\"item_id\":\"never-existed\"}}");
    }

    private void same(String description, String method, String withB, String withNone, String body, String noneBody) {
        sameAs(keys.all(), description, method, withB, withNone, body, noneBody);
    }

    /**
     * Sends the call with the other tenant's id and with one that never existed: both must be a 404 with the same
     * code, and the first must hold none of the other tenant's data.
     */
    private void sameAs(String key, String description, String method, String withOther, String withNone, String body, String noneBody) {
        byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        byte[] noneBytes = noneBody == null ? bytes : noneBody.getBytes(StandardCharsets.UTF_8);
        compare(key, description, method, withOther, withNone, bytes, noneBytes, body == null ? null : "application/json");
    }

    private void sameUpload(String description, String withB, String withNone, byte[] body, String contentType) {
        compare(keys.all(), description, "POST", withB, withNone, body, body, contentType);
    }

    private void compare(String key, String description, String method, String withOther, String withNone, byte[] body,
                         byte[] noneBody, String contentType) {
        Probe control = ProbeBuilder.probe(CATEGORY, description + " (an id that never existed)").key(key).method(method, withNone)
                .body(noneBody, contentType).expect(Expect.status(404));
        Reply controlReply = judge(control);
        String controlCode = ReplyChecks.code(controlReply);
        Probe other = ProbeBuilder.probe(CATEGORY, description).key(key).method(method, withOther).body(body, contentType)
                .expect(Expect.status(404).code(controlCode.isEmpty() ? null : controlCode)
                        .and("none of the other tenant's data", r -> markers.stream()
                                .noneMatch(m -> r.text().contains(m) && !sent(withOther, body).contains(m))));
        judge(other);
    }

    private static String sent(String target, byte[] body) {
        return target + (body == null ? "" : new String(body, StandardCharsets.UTF_8));
    }

    private Reply judge(Probe probe) {
        Reply reply = client.sender().send(probe.request());
        report.add(new Outcome(CATEGORY, probe.description(), probe.request().method() + " " + probe.request().target(),
                reply.status(), reply.excerpt(200), ReplyChecks.check(probe, reply, keys.secrets())));
        return reply;
    }

    private static String shorten(String text) {
        return text == null ? "nothing" : text.length() > 160 ? text.substring(0, 160) + "…" : text;
    }
}
