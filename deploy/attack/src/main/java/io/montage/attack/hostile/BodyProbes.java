package io.montage.attack.hostile;

import io.montage.attack.Fixtures;
import io.montage.attack.Keys;
import io.montage.attack.inputs.Images;
import io.montage.attack.inputs.ZipWriter;
import io.montage.attack.probe.JobOutcome;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static io.montage.attack.probe.Expect.any;
import static io.montage.attack.probe.Expect.refused;
import static io.montage.attack.probe.Expect.status;
import static io.montage.attack.probe.Expect.success;

/**
 * Bodies that are not what their headers say: missing and wrong Content-Types, media type case and parameters.
 * (Bodies that are too big, compressed or declared so, are {@link BombProbes}.)
 */
final class BodyProbes extends Catalogue {

    BodyProbes(Keys keys, Fixtures fixtures) {
        super("body", keys, fixtures);
    }

    @Override
    void build() {
        contentTypes();
        String echo = echoJob("{\"input\":1}");
        add(probe("POST /v1/jobs with Content-Type application/JSON (media types ignore case)").post(JOBS)
                .body(echo.getBytes(StandardCharsets.UTF_8), "application/JSON").expect(any().job(JobOutcome.items(1, 0))));
        add(probe("POST /v1/jobs with charset parameter").post(JOBS)
                .body(echo.getBytes(StandardCharsets.UTF_8), "application/json; charset=UTF-8").expect(success().job(JobOutcome.items(1, 0))));
    }

    private void contentTypes() {
        byte[] echo = echoJob("{\"input\":1}").getBytes(StandardCharsets.UTF_8);
        add(probe("POST /v1/jobs without Content-Type (JSON body)").post(JOBS).body(echo, null).expect(status(415)));
        add(probe("POST /v1/jobs without Content-Type (JSONL body)").post(JOBS + "?type=echo")
                .body("{\"input\":1}\n".getBytes(StandardCharsets.UTF_8), null).expect(status(415)));
        add(probe("POST /v1/jobs without Content-Type or body").post(JOBS).expect(status(415)));
        for (String type : new String[]{"text/plain", "application/xml", "application/x-www-form-urlencoded",
                "application/octet-stream", "multipart/form-data; boundary=xyz", "image/png", "application/jsonx"}) {
            add(probe("POST /v1/jobs as " + type).post(JOBS).body(echo, type).expect(refused()));
        }
        add(probe("POST /v1/jobs Content-Type '/'").post(JOBS).body(echo, "/").expect(refused()));
        add(probe("POST /v1/jobs Content-Type with a broken parameter").post(JOBS).body(echo, "application/json; charset=\"")
                .expect(any().job(JobOutcome.FINISHES)));
        add(probe("POST /v1/jobs JSON declared as zip").post(JOBS + "?type=embed").body(echo, ZIP).expect(refused()));
        add(probe("POST /v1/jobs zip declared as JSON").post(JOBS)
                .body(new ZipWriter().add("a.png", Images.png()).toBytes(), "application/json").expect(refused()));
        byte[] garbage = new byte[4096];
        new Random(3).nextBytes(garbage);
        add(probe("POST /v1/jobs binary garbage declared as JSONL").post(JOBS + "?type=echo").body(garbage, JSONL)
                .expect(any().job(JobOutcome.FINISHES)));
        byte[] embed = "{\"input\":\"a\"}".getBytes(StandardCharsets.UTF_8);
        for (String type : new String[]{"text/plain", "application/xml", "application/x-www-form-urlencoded", "/"}) {
            add(probe("POST /v1/embeddings as " + type).post(EMBEDDINGS).body(embed, type).expect(refused()));
        }
        add(probe("POST /v1/embeddings multipart with garbage parts").post(EMBEDDINGS)
                .body("--b\r\nContent-Disposition: form-data; name=\"input\"\r\n\r\n\u0000\u0001\r\n--b--\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1), "multipart/form-data; boundary=b").expect(refused()));
        add(probe("POST /v1/embeddings without Content-Type").post(EMBEDDINGS).body(embed, null).expect(any()));
        add(probe("POST /v1/embeddings declared UTF-16, sent UTF-8").post(EMBEDDINGS)
                .body(embed, "application/json; charset=utf-16").expect(any()));
        add(probe("POST /v1/collections without Content-Type").post(COLLECTIONS)
                .body("{\"name\":\"no-type\"}".getBytes(StandardCharsets.UTF_8), null).expect(any()));
        add(probe("POST /v1/embeddings with a 10,000-character Content-Type").post(EMBEDDINGS)
                .body(embed, "application/json; x=" + "y".repeat(10_000)).expect(any()));
        add(probe("GET /v1/models with a JSON body").get("/v1/models").body(embed, "application/json").expect(any()));
    }
}
