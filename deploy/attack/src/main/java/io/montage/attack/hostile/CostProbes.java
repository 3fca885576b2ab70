package io.montage.attack.hostile;

import io.montage.attack.Fixtures;
import io.montage.attack.Keys;
import io.montage.attack.inputs.Bodies;
import io.montage.attack.probe.JobOutcome;

import java.time.Duration;

import static io.montage.attack.probe.Expect.any;
import static io.montage.attack.probe.Expect.problem;
import static io.montage.attack.probe.Expect.refused;
import static io.montage.attack.probe.Expect.success;

/**
 * Small requests that ask for a great deal of work: 1,000 labels × 1,000 templates (10⁶ text encodings from 40 KB,
 * which once held the worker for 154 s) must be refused at once with 422 request_too_costly; top_k and page sizes
 * out of range; the largest inline job. Sent with a separate tenant's key, so that its quota use never starves the
 * other probes.
 */
final class CostProbes extends Catalogue {

    /** "At once": refused before anything is queued (queued, such a request runs for minutes); slack for a loaded machine. */
    private static final Duration AT_ONCE = Duration.ofSeconds(10);

    CostProbes(Keys keys, Fixtures fixtures) {
        super("cost", keys, fixtures);
    }

    @Override
    void build() {
        String png = f.png();
        String labels = Bodies.strings(1000, "label ");
        String templates = Bodies.array(1000, i -> "\"a photo {} number " + i + "\"");
        add(probe("classify 1,000 labels × 1,000 templates").key(keys.cost()).post(CLASSIFY)
                .json("{\"images\":[\"" + png + "\"],\"labels\":" + labels + ",\"templates\":" + templates + "}")
                .expect(problem(422, "request_too_costly").within(AT_ONCE)));
        add(probe("classify 1,000 labels × 1,000 templates × 256 images").key(keys.cost()).post(CLASSIFY)
                .json("{\"images\":" + Bodies.array(256, i -> "\"" + png + "\"") + ",\"labels\":" + labels + ",\"templates\":" + templates + "}")
                .expect(problem(422, "request_too_costly").within(AT_ONCE)));
        add(probe("classify job 1,000 labels × 1,000 templates").key(keys.cost()).post(JOBS)
                .json("{\"type\":\"classify\",\"labels\":" + labels + ",\"templates\":" + templates + ",\"items\":[{\"image\":\"" + png + "\"}]}")
                .expect(refused().within(AT_ONCE)));
        add(probe("classify upload 1,000 labels × 1,000 templates in the query").key(keys.cost())
                .post(JOBS + "?type=classify" + "&labels=l".repeat(1000) + "&templates=%7B%7D".repeat(1000))
                .body(("{\"image\":\"" + png + "\"}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8), JSONL)
                .expect(refused().within(AT_ONCE)));
        for (String topK : new String[]{"0", "-1", "1001", "2147483648", "1e10"}) {
            json("search top_k " + topK, search(), "{\"query\":{\"vector\":" + f.vector() + "},\"top_k\":" + topK + "}", refused());
        }
        json("search top_k 1000 (allowed)", search(), "{\"query\":{\"vector\":" + f.vector() + "},\"top_k\":1000}", success());
        json("search top_k 1000 exact (allowed)", search(), "{\"query\":{\"vector\":" + f.vector() + "},\"top_k\":1000,\"exact\":true}", success());
        get("job list limit 1001", JOBS + "?limit=1001", refused());
        get("job list limit 1000 (allowed)", JOBS + "?limit=1000", success());
        get("item list limit 1001", f.jobPath() + "/items?limit=1001", refused());
        add(probe("inline job of 10,000 items (the limit)").key(keys.cost()).post(JOBS)
                .json("{\"type\":\"echo\",\"items\":" + Bodies.array(10_000, i -> "{\"custom_id\":\"c" + i + "\",\"input\":" + i + "}") + "}")
                .expect(any().job(JobOutcome.items(10_000, 0))));
        add(probe("inline job of 10,001 items").key(keys.cost()).post(JOBS)
                .json("{\"type\":\"echo\",\"items\":" + Bodies.array(10_001, i -> "{\"input\":" + i + "}") + "}")
                .expect(refused()));
        add(probe("inline classify job of 10,000 undecodable images").key(keys.cost()).post(JOBS)
                .json("{\"type\":\"classify\",\"labels\":[\"a\"],\"items\":" + Bodies.array(10_000, i -> "{\"image\":\"!!\"}") + "}")
                .expect(refused().within(AT_ONCE)));
        json("upsert of 257 items", items(), "{\"items\":" + Bodies.array(257, i -> "{\"id\":\"many" + i + "\",\"vector\":" + f.vector() + "}") + "}", refused());
        json("items/delete of 100,000 ids", items() + "/delete", "{\"ids\":" + Bodies.strings(100_000, "gone") + "}", any());
        add(probe("embeddings of 256 texts of 10,000 characters").key(keys.cost()).post(EMBEDDINGS)
                .json("{\"input\":" + Bodies.array(256, i -> "\"" + (i + " ").repeat(10_000).substring(0, 10_000) + "\"") + "}").expect(any()));
        add(probe("similarity 256 images × 1,000 texts").key(keys.cost()).post(SIMILARITY)
                .json("{\"images\":" + Bodies.array(256, i -> "\"" + png + "\"") + ",\"texts\":" + labels + "}").expect(any()));
    }
}
