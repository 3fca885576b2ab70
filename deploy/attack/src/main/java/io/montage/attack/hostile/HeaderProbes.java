package io.montage.attack.hostile;

import io.montage.attack.Fixtures;
import io.montage.attack.Keys;

import static io.montage.attack.probe.Expect.any;
import static io.montage.attack.probe.Expect.refused;
import static io.montage.attack.probe.Expect.status;

/**
 * Single requests with hostile headers or request targets, sent over a plain socket exactly as written: two
 * Authorization headers (401), huge and numerous headers, a huge request target, invalid percent-encoding.
 */
final class HeaderProbes extends Catalogue {

    HeaderProbes(Keys keys, Fixtures fixtures) {
        super("framing", keys, fixtures);
    }

    @Override
    void build() {
        add(probe("two Authorization headers, keys of two tenants").key(null).raw().get(JOBS)
                .header("Authorization", "Bearer " + keys.all()).header("Authorization", "Bearer " + keys.tenantB())
                .expect(status(401)));
        add(probe("two Authorization headers, one valid").key(null).raw().get(JOBS)
                .header("Authorization", "Bearer " + keys.all()).header("Authorization", "Bearer garbage").expect(status(401)));
        add(probe("two Authorization headers, the same key").key(null).raw().get(JOBS)
                .header("Authorization", "Bearer " + keys.all()).header("Authorization", "Bearer " + keys.all()).expect(status(401)));
        add(probe("two Authorization headers on a write").key(null).raw().post(COLLECTIONS)
                .header("Authorization", "Bearer " + keys.tenantB()).header("Authorization", "Bearer " + keys.all())
                .json("{\"name\":\"two-auth\"}").expect(status(401)));
        add(probe("two Authorization headers, differently cased").key(null).raw().get(JOBS)
                .header("Authorization", "Bearer " + keys.all()).header("authorization", "Bearer " + keys.tenantB())
                .expect(status(401)));
        add(probe("two keys in one Authorization header").key(null).raw().get(JOBS)
                .header("Authorization", "Bearer " + keys.all() + ", Bearer " + keys.tenantB()).expect(status(401)));
        add(probe("a 100 KB header").raw().get("/v1/models").header("X-Big", "b".repeat(100_000)).expect(refused()));
        add(probe("a 100 KB Authorization header").key(null).raw().get("/v1/models")
                .header("Authorization", "Bearer " + "k".repeat(100_000)).expect(refused()));
        var many = probe("2,000 headers").raw().get("/v1/models");
        for (int i = 0; i < 2000; i++) {
            many.header("X-H" + i, "v".repeat(40));
        }
        add(many.expect(refused()));
        add(probe("a 100 KB request target").raw().get("/v1/models?" + "q".repeat(100_000)).expect(refused()));
        for (String target : new String[]{COLLECTIONS + "/%zz", COLLECTIONS + "/%", COLLECTIONS + "/%E0%A4%A",
                COLLECTIONS + "/%C0%AF", COLLECTIONS + "/%FF%FE", JOBS + "?status=%zz", JOBS + "?limit=%", "/%u0041",
                JOBS + "/%", f.jobPath() + "/items?status=%G0"}) {
            add(probe("invalid percent-encoding " + target).raw().get(target).expect(refused()));
        }
        add(probe("Expect: an unknown expectation").raw().post(EMBEDDINGS).header("Expect", "teapot")
                .json("{\"input\":\"boot\"}").expect(any()));
        add(probe("Expect: 100-continue with a small valid body (control)").raw().post(EMBEDDINGS).header("Expect", "100-continue")
                .json("{\"input\":\"boot\"}").expect(status(200)));
        add(probe("h2c upgrade request").raw().get("/v1/models").header("Upgrade", "h2c")
                .header("HTTP2-Settings", "AAMAAABkAARAAAAAAAIAAAAA").expect(any()));
        add(probe("X-Forwarded headers do not change the tenant").raw().get(JOBS)
                .header("X-Forwarded-For", "127.0.0.1").header("X-Tenant-Id", "attack-b").header("X-Forwarded-Host", "evil.example")
                .expect(status(200)));
    }
}
