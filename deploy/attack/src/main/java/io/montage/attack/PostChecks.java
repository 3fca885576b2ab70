package io.montage.attack;

import io.montage.attack.http.Reply;
import io.montage.attack.inputs.Json;
import io.montage.attack.probe.Expect;
import io.montage.attack.probe.Probe;
import io.montage.attack.probe.ProbeBuilder;
import io.montage.attack.probe.ReplyChecks;
import io.montage.attack.report.Outcome;
import io.montage.attack.report.Report;

import java.util.List;

/**
 * After every attack: the platform is still ready, an ordinary embedding request of each tenant still works, and
 * tenant A's collection still searches with numeric scores (a vector that underflowed to zeros once made every
 * score "NaN").
 */
public final class PostChecks {

    private static final String CATEGORY = "after";

    private final Client client;
    private final Keys keys;
    private final Fixtures fixtures;

    public PostChecks(Client client, Keys keys, Fixtures fixtures) {
        this.client = client;
        this.keys = keys;
        this.fixtures = fixtures;
    }

    public void run(Report report) {
        String vector = "{\"query\":{\"vector\":" + fixtures.vector() + "},\"top_k\":100";
        List<Probe> checks = List.of(
                ProbeBuilder.probe(CATEGORY, "the platform is still ready").get("/ready").expect(Expect.status(200)),
                ProbeBuilder.probe(CATEGORY, "tenant A still embeds a text").key(keys.all()).post("/v1/embeddings")
                        .json("{\"input\":\"ankle boot\"}").expect(Expect.status(200).and("one embedding of the model's dimension",
                                r -> Json.parse(r.text()).map(j -> j.path("data").path(0).path("embedding").size() == fixtures.dimension()).orElse(false))),
                ProbeBuilder.probe(CATEGORY, "tenant B still embeds a text").key(keys.tenantB()).post("/v1/embeddings")
                        .json("{\"input\":\"bag\"}").expect(Expect.status(200)),
                ProbeBuilder.probe(CATEGORY, "search scores are numbers (default plan)").key(keys.all())
                        .post(fixtures.collectionPath() + "/search").json(vector + "}").expect(scoresAreNumbers()),
                ProbeBuilder.probe(CATEGORY, "search scores are numbers (exact)").key(keys.all())
                        .post(fixtures.collectionPath() + "/search").json(vector + ",\"exact\":true}").expect(scoresAreNumbers()),
                ProbeBuilder.probe(CATEGORY, "search scores are numbers (more like v1)").key(keys.all())
                        .post(fixtures.collectionPath() + "/search").json("{\"query\":{\"item_id\":\"v1\"},\"top_k\":100}")
                        .expect(scoresAreNumbers()),
                ProbeBuilder.probe(CATEGORY, "the fixture collection is still there").key(keys.all())
                        .get(fixtures.collectionPath()).expect(Expect.status(200)));
        for (Probe check : checks) {
            Reply reply = client.sender().send(check.request());
            report.add(new Outcome(CATEGORY, check.description(), check.request().method() + " " + check.request().target(),
                    reply.status(), reply.excerpt(240), ReplyChecks.check(check, reply, keys.secrets())));
        }
    }

    private static Expect scoresAreNumbers() {
        return Expect.status(200).and("every score is a finite number", r -> Json.parse(r.text()).map(results -> {
            for (var hit : results.path("data")) {
                if (!hit.path("score").isNumber() || !Double.isFinite(hit.path("score").asDouble())) {
                    return false;
                }
            }
            return results.path("data").size() > 0;
        }).orElse(false));
    }
}
