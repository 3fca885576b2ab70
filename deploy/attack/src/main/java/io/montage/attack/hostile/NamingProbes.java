package io.montage.attack.hostile;

import io.montage.attack.Fixtures;
import io.montage.attack.Keys;
import io.montage.attack.inputs.Bodies;
import io.montage.attack.probe.JobOutcome;

import java.util.UUID;

import static io.montage.attack.probe.Expect.any;
import static io.montage.attack.probe.Expect.problem;
import static io.montage.attack.probe.Expect.refused;
import static io.montage.attack.probe.Expect.status;
import static io.montage.attack.probe.Expect.success;

/**
 * Names, ids and paths chosen to confuse: path traversal and dots in collection names and item ids, Unicode
 * look-alikes and normalisation, very long names, odd page parameters, malformed job ids, wrong methods, unknown
 * routes, and traversal through the static OpenAPI route.
 */
final class NamingProbes extends Catalogue {

    NamingProbes(Keys keys, Fixtures fixtures) {
        super("naming", keys, fixtures);
    }

    @Override
    void build() {
        collectionNames();
        modelIds();
        itemIds();
        paging();
        jobIds();
        methodsAndRoutes();
    }

    private void collectionNames() {
        String[][] names = {{"../etc", "parent traversal"}, {"..", "dot-dot"}, {".", "dot"}, {"a/b", "a slash"},
                {"%2e%2e", "encoded dots"}, {"n".repeat(101), "101 characters"}, {"caf\u00e9", "é (NFC)"},
                {"cafe\u0301", "e + combining acute (NFD)"}, {"\uff41bc", "full-width a"}, {"CAPS", "capitals"}, {"", "empty"},
                {" lead", "a leading space"}, {"a\\nb", "a newline"}, {"-dash", "a leading dash"}, {"a\u200bb", "a zero-width space"}};
        for (String[] name : names) {
            json("create collection named " + name[1], COLLECTIONS, "{\"name\":\"" + name[0] + "\"}", refused());
        }
        json("create collection of 100 characters (allowed)", COLLECTIONS, "{\"name\":\"" + "n".repeat(100) + "\"}", success());
        json("create collection that exists", COLLECTIONS, "{\"name\":\"target\"}", problem(409, "collection_exists"));
        get("collection ..%2F..%2Fjobs", COLLECTIONS + "/..%2F..%2Fjobs", refused());
        get("collection %2e%2e", COLLECTIONS + "/%2e%2e", refused());
        get("collection .. (literal)", COLLECTIONS + "/..", any());
        get("collection target%2Fitems", COLLECTIONS + "/target%2Fitems", refused());
        get("collection TARGET (names are lower case)", COLLECTIONS + "/TARGET", refused());
        get("collection ta%72get (percent-encoded letter)", COLLECTIONS + "/ta%72get", any());
        get("collection name of 10,000 characters", COLLECTIONS + "/" + "n".repeat(10_000), refused());
        add(probe("delete collection ..%2Ftarget").delete(COLLECTIONS + "/..%2Ftarget").expect(refused()));
        get("collection list with a NUL query parameter", COLLECTIONS + "?name=%00", any());
        json("switch to a model that does not exist", f.collectionPath() + "/model", "{\"model\":\"no-such-model\"}",
                problem(404, "model_not_found"));
        json("switch without a model", f.collectionPath() + "/model", "{}", problem(422, "missing_model"));
        add(probe("cancel a switch that is not under way").post(f.collectionPath() + "/model/cancel")
                .expect(problem(409, "collection_not_switching")));
        add(probe("cancel a switch with a garbage body").post(f.collectionPath() + "/model/cancel").json("{{{")
                .expect(refused()));
        add(probe("POST /ready").key(null).post("/ready").json("{}").expect(status(405)));
        // NUL is refused in every query parameter name, on every route: the readiness probe is no exception
        add(probe("GET /ready with a query").key(null).get("/ready?verbose=true&%00")
                .expect(problem(422, "nul_character")));
    }

    /** {@code GET /v1/models/{id}}: every id that names no ready model is one 404, whatever it is made of. */
    private void modelIds() {
        get("model by its id (control)", MODELS + "/" + f.model(), success());
        get("model by its name (control)", MODELS + "/" + f.model().split("@")[0], success());
        get("model by its id, @ percent-encoded", MODELS + "/" + f.model().replace("@", "%40"), success());
        get("model default (the tenant's)", MODELS + "/default", success());
        for (String[] id : new String[][]{{"no-such-model", "unknown"}, {"DEFAULT", "DEFAULT"}, {"default@1", "default@1"},
                {f.model().split("@")[0] + "@", "a name and @"}, {"@" + f.model().split("@")[1], "@ and a version"},
                {"@", "@ alone"}, {f.model() + "@" + f.model().split("@")[1], "two versions"},
                {f.model().toUpperCase(), "capitals"}, {"n".repeat(2000), "2,000 characters"}}) {
            get("model id " + id[1], MODELS + "/" + id[0], problem(404, "model_not_found"));
        }
        get("model id of the fused model (listed too)", MODELS + "/" + f.fusedModel(), success());
        get("model id é", MODELS + "/caf%C3%A9", refused());
        get("model id with a leading space", MODELS + "/%20" + f.model(), refused());
        get("model id %2e%2e", MODELS + "/%2e%2e", refused());
        get("model id ..%2F..%2Fjobs", MODELS + "/..%2F..%2Fjobs", refused());
        get("model id with a slash", MODELS + "/" + f.model() + "/x", refused());
        get("model id with a NUL", MODELS + "/a%00b", problem(422, "nul_character"));
        get("model id that is not UTF-8", MODELS + "/%C3%28", refused());
        get("model id of 10,000 characters", MODELS + "/" + "n".repeat(10_000), refused());
        add(probe("DELETE a model (OpenAI's fine-tune delete)").delete(MODELS + "/" + f.model()).expect(status(405)));
        add(probe("POST to a model").post(MODELS + "/" + f.model()).json("{}").expect(status(405)));
        add(probe("HEAD a model").method("HEAD", MODELS + "/" + f.model()).expect(any()));
    }

    private void itemIds() {
        json("item id ../../x (ids are free text)", items(), upsert("{\"id\":\"../../x\",\"vector\":" + f.vector() + "}"), any());
        json("item id of 257 characters", items(), upsert("{\"id\":\"" + "i".repeat(257) + "\",\"vector\":" + f.vector() + "}"), refused());
        json("item id empty", items(), upsert("{\"id\":\"\",\"vector\":" + f.vector() + "}"), refused());
        json("item id missing", items(), upsert("{\"vector\":" + f.vector() + "}"), refused());
        json("item ids that differ in normalisation", items(), "{\"items\":[{\"id\":\"caf\u00e9\",\"vector\":" + f.vector()
                + "},{\"id\":\"cafe\u0301\",\"vector\":" + f.vector() + "}]}", any());
        json("item id with a right-to-left override", items(), upsert("{\"id\":\"abc\\u202edef\",\"vector\":" + f.vector() + "}"), any());
        json("duplicate item ids in one upsert", items(), "{\"items\":[{\"id\":\"twin\",\"vector\":" + f.vector()
                + "},{\"id\":\"twin\",\"vector\":" + f.vector() + "}]}", refused());
        add(probe("delete item ..%2F..%2Fx").delete(items() + "/..%2F..%2Fx").expect(any()));
        add(probe("delete item %2e%2e").delete(items() + "/%2e%2e").expect(refused()));
        add(probe("delete item that does not exist").delete(items() + "/never-there").expect(problem(404, "item_not_found")));
        add(probe("delete item with an id of 10,000 characters").delete(items() + "/" + "i".repeat(10_000)).expect(refused()));
        json("search by an item id that does not exist", search(), searchBody("{\"item_id\":\"never-there\"}", null), status(404));
        json("search with two query kinds", search(), searchBody("{\"text\":\"a\",\"item_id\":\"v1\"}", null), refused());
        json("search with an empty query", search(), searchBody("{}", null), refused());
        json("items/delete of no ids", items() + "/delete", "{\"ids\":[]}", refused());
    }

    private void paging() {
        for (String limit : new String[]{"0", "-1", "abc", "1.5", "", "1e3", "0x10"}) {
            get("job list limit=" + limit, JOBS + "?limit=" + limit, refused());
            get("item list limit=" + limit, f.jobPath() + "/items?limit=" + limit, refused());
        }
        get("job list after=not-a-uuid", JOBS + "?after=not-a-uuid", refused());
        get("job list after=random uuid", JOBS + "?after=" + UUID.randomUUID(), any());
        get("job list status=QUEUED", JOBS + "?status=QUEUED", refused());
        get("job list two statuses", JOBS + "?status=queued&status=running", any());
        get("job list two limits", JOBS + "?limit=1&limit=2", any());
        get("item list after=-5", f.jobPath() + "/items?after=-5", any());
        get("item list after=abc", f.jobPath() + "/items?after=abc", refused());
        get("item list after=2147483648", f.jobPath() + "/items?after=2147483648", refused());
        get("item list status=done", f.jobPath() + "/items?status=done", refused());
    }

    private void jobIds() {
        get("job id not a uuid", JOBS + "/not-a-uuid", status(400));
        get("evaluation id not a uuid", EVALUATIONS + "/not-a-uuid", status(400));
        get("evaluation id all zeros", EVALUATIONS + "/00000000-0000-0000-0000-000000000000",
                problem(404, "evaluation_not_found"));
        get("evaluation id of 10,000 characters", EVALUATIONS + "/" + "9".repeat(10_000), refused());
        get("evaluation id with traversal", EVALUATIONS + "/..%2F..%2Fjobs", refused());
        get("job id all zeros", JOBS + "/00000000-0000-0000-0000-000000000000", problem(404, "job_not_found"));
        get("job id in capitals", JOBS + "/" + f.jobId().toUpperCase(), any());
        get("job id in braces", JOBS + "/%7B" + f.jobId() + "%7D", refused());
        get("job id with a suffix", JOBS + "/" + f.jobId() + "x", refused());
        get("job id of 10,000 characters", JOBS + "/" + "9".repeat(10_000), refused());
        get("results of a job id that is not a uuid", JOBS + "/x/results", status(400));
        get("errors of a job id that is not a uuid", JOBS + "/x/errors", status(400));
        get("errors with a NUL query parameter", f.jobPath() + "/errors?x=%00", any());
        get("items of a job that does not exist", JOBS + "/" + UUID.randomUUID() + "/items", problem(404, "job_not_found"));
        add(probe("cancel a job that is not a uuid").post(JOBS + "/x/cancel").expect(status(400)));
        add(probe("cancel a finished job").post(f.jobPath() + "/cancel").expect(problem(409, "job_not_cancellable")));
        add(probe("retry a job that is not a uuid").post(JOBS + "/x/retry").expect(status(400)));
        add(probe("retry a job that does not exist").post(JOBS + "/" + UUID.randomUUID() + "/retry")
                .expect(problem(404, "job_not_found")));
        // the fixture job's one failure is its input's (echo_failed): a new run would fail it the same way
        add(probe("retry a job whose failures are its inputs'").post(f.jobPath() + "/retry")
                .expect(problem(409, "nothing_to_retry")));
        add(probe("retry with a garbage body").post(f.jobPath() + "/retry").json("{{{")
                .expect(problem(400, "invalid_json")));
        add(probe("Idempotency-Key of 256 characters").post(JOBS).header("Idempotency-Key", "k".repeat(256))
                .json(echoJob("{\"input\":1}")).expect(refused()));
        add(probe("Idempotency-Key empty").post(JOBS).header("Idempotency-Key", "").json(echoJob("{\"input\":1}")).expect(any()));
        add(probe("Idempotency-Key of 8,000 characters").post(JOBS).header("Idempotency-Key", "k".repeat(8000))
                .json(echoJob("{\"input\":1}")).expect(refused()));
        add(probe("Idempotency-Key of UTF-8 bytes").raw().post(JOBS).header("Idempotency-Key", "schl\u00fcssel-\u2603")
                .json(echoJob("{\"input\":1}")).expect(any().job(JobOutcome.FINISHES)));
    }

    private void methodsAndRoutes() {
        add(probe("PUT /v1/jobs").method("PUT", JOBS).json("{}").expect(status(405)));
        add(probe("DELETE /v1/jobs").delete(JOBS).expect(status(405)));
        add(probe("PATCH a collection").method("PATCH", f.collectionPath()).json("{}").expect(status(405)));
        add(probe("POST /v1/models").post("/v1/models").json("{}").expect(status(405)));
        add(probe("GET /v1/embeddings").get(EMBEDDINGS).expect(status(405)));
        add(probe("DELETE /health").key(null).delete("/health").expect(status(405)));
        add(probe("OPTIONS /v1/jobs").method("OPTIONS", JOBS).expect(any()));
        add(probe("HEAD /v1/models").method("HEAD", "/v1/models").expect(any()));
        add(probe("TRACE /v1/models").raw().method("TRACE", "/v1/models").expect(any()));
        add(probe("made-up method").raw().method("BREW", "/v1/models").expect(any()));
        for (String route : new String[]{"/v1/unknown", "/v2/jobs", f.jobPath() + "/unknown", "/admin", "/.env", "/v1",
                "/v1/jobs/" + f.jobId() + "/items/0", "/metrics", "/prometheus", "/env", "/beans", "/routes", "/loggers",
                "/" + "x".repeat(5000)}) {
            get("unknown route " + (route.length() > 60 ? route.substring(0, 20) + "…" : route), route, refused());
        }
        add(probe("dot segments back to a real route").raw().get("/health/../v1/jobs").expect(any()));
        // /docs/** serves the API page's static files (Swagger UI's webjar); /openapi/ was the spec's old static route
        for (String prefix : new String[]{"/docs", "/openapi"}) {
            for (String route : new String[]{"/..%2F..%2F..%2F..%2Fetc%2Fpasswd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                    "/../../../../etc/passwd", "/..%5C..%5Capplication.yml", "/%2e%2e%2fapplication.yml",
                    "/..;/application.yml", "/META-INF/MANIFEST.MF", "/../logback.xml", "/..%2F..%2FApiMain.class",
                    "/..%2F..%2F..%2F..%2Fapplication.yml"}) {
                add(probe("static traversal " + prefix + route).key(null).get(prefix + route).raw()
                        .expect(refused().and("no file contents leak", r -> !r.text().contains("root:")
                                && !r.text().contains("micronaut") && !r.text().contains("Manifest-Version")
                                && !r.text().contains("<configuration") && !r.text().contains("swagger-ui"))));
            }
        }
        add(probe("the OpenAPI spec (control)").key(null).get("/openapi.yml").expect(any()));
        add(probe("the API page (control)").key(null).get("/docs").expect(any()));
        add(probe("the API page's script (control)").key(null).get("/docs/swagger-ui-bundle.js").expect(any()));
        add(probe("Accept: application/xml").get("/v1/models").header("Accept", "application/xml").expect(any()));
        add(probe("Accept: nothing acceptable").get(JOBS).header("Accept", "image/png").expect(any()));
        json("classify labels that are equal after NFKC", CLASSIFY, "{\"images\":[\"" + f.png() + "\"],\"labels\":[\"\ufb01t\",\"fit\"]}", any());
        json("embeddings text with a byte-order mark", EMBEDDINGS, "{\"input\":\"\ufeffboot\"}", any());
        add(probe("JSON body with a byte-order mark").post(EMBEDDINGS)
                .body(("\ufeff{\"input\":\"boot\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json").expect(any()));
        json("upload query with 1,000 labels", JOBS + "?type=classify" + "&labels=l".repeat(1000), "{}", any());
        get("query string of 100,000 characters", JOBS + "?x=" + "y".repeat(100_000), refused());
        json("similarity texts of 1,000 distinct labels (allowed)", SIMILARITY, "{\"images\":[\"" + f.png() + "\"],\"texts\":" + Bodies.strings(1000, "t") + "}", any());
    }
}
