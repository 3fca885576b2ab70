package io.montage.attack.hostile;

import io.montage.attack.Fixtures;
import io.montage.attack.Keys;
import io.montage.attack.inputs.Images;
import io.montage.attack.inputs.ZipWriter;
import io.montage.attack.probe.JobOutcome;

import java.nio.charset.StandardCharsets;

import static io.montage.attack.inputs.Bodies.NUL;
import static io.montage.attack.probe.Expect.any;
import static io.montage.attack.probe.Expect.refused;

/**
 * NUL (U+0000) in every string a tenant sends: PostgreSQL text and jsonb cannot hold it, so every one must be
 * refused up front (4xx), or, inside an upload, become that line's item error while the rest of the job runs.
 */
final class NulProbes extends Catalogue {

    NulProbes(Keys keys, Fixtures fixtures) {
        super("nul", keys, fixtures);
    }

    @Override
    void build() {
        String img = f.png();
        json("embeddings input string", EMBEDDINGS, "{\"input\":\"ankle" + NUL + "boot\"}", refused());
        json("embeddings input {text}", EMBEDDINGS, "{\"input\":[{\"text\":\"a" + NUL + "\"}]}", refused());
        json("embeddings input {image}", EMBEDDINGS, "{\"input\":[{\"image\":\"" + NUL + img + "\"}]}", refused());
        json("embeddings model", EMBEDDINGS, "{\"model\":\"fashion" + NUL + "\",\"input\":\"a\"}", refused());
        json("embeddings encoding_format", EMBEDDINGS, "{\"input\":\"a\",\"encoding_format\":\"float" + NUL + "\"}", refused());
        json("embeddings user", EMBEDDINGS, "{\"input\":\"a\",\"user\":\"u" + NUL + "\"}", refused());
        json("classify label", CLASSIFY, "{\"images\":[\"" + img + "\"],\"labels\":[\"boot" + NUL + "\",\"bag\"]}", refused());
        json("classify template", CLASSIFY, "{\"images\":[\"" + img + "\"],\"labels\":[\"boot\"],\"templates\":[\"a {}" + NUL + "\"]}", refused());
        json("classify model", CLASSIFY, "{\"model\":\"" + NUL + "\",\"images\":[\"" + img + "\"],\"labels\":[\"boot\"]}", refused());
        json("classify image", CLASSIFY, "{\"images\":[\"" + img + NUL + "\"],\"labels\":[\"boot\"]}", refused());
        json("similarity text", SIMILARITY, "{\"images\":[\"" + img + "\"],\"texts\":[\"x" + NUL + "\"]}", refused());
        json("job type", JOBS, "{\"type\":\"echo" + NUL + "\",\"items\":[{\"input\":1}]}", refused());
        json("job model", JOBS, "{\"type\":\"embed\",\"model\":\"m" + NUL + "\",\"items\":[{\"text\":\"a\"}]}", refused());
        json("job custom_id", JOBS, echoJob("{\"custom_id\":\"c" + NUL + "\",\"input\":1}"), refused());
        json("job echo input value", JOBS, echoJob("{\"input\":{\"k\":\"v" + NUL + "\"}}"), refused());
        json("job echo input key", JOBS, echoJob("{\"input\":{\"k" + NUL + "\":\"v\"}}"), refused());
        json("job embed text", JOBS, "{\"type\":\"embed\",\"items\":[{\"text\":\"a" + NUL + "b\"}]}", refused());
        json("job embed image_url", JOBS, "{\"type\":\"embed\",\"items\":[{\"image_url\":\"http://x" + NUL + ".example/a.png\"}]}", refused());
        json("job classify label", JOBS, "{\"type\":\"classify\",\"labels\":[\"a" + NUL + "\"],\"items\":[{\"image\":\"" + img + "\"}]}", refused());
        json("job classify template", JOBS, "{\"type\":\"classify\",\"labels\":[\"a\"],\"templates\":[\"{}" + NUL + "\"],\"items\":[{\"image\":\"" + img + "\"}]}", refused());
        json("job ingest collection", JOBS, "{\"type\":\"ingest\",\"collection\":\"target" + NUL + "\",\"items\":[{\"item_id\":\"n1\",\"text\":\"a\"}]}", refused());
        json("job ingest item_id", JOBS, "{\"type\":\"ingest\",\"collection\":\"target\",\"items\":[{\"item_id\":\"n" + NUL + "\",\"text\":\"a\"}]}", refused());
        json("job ingest metadata value", JOBS, "{\"type\":\"ingest\",\"collection\":\"target\",\"items\":[{\"item_id\":\"n2\",\"text\":\"a\",\"metadata\":{\"k\":\"" + NUL + "\"}}]}", refused());
        json("job ingest metadata key", JOBS, "{\"type\":\"ingest\",\"collection\":\"target\",\"items\":[{\"item_id\":\"n3\",\"text\":\"a\",\"metadata\":{\"" + NUL + "\":1}}]}", refused());
        json("collection name", COLLECTIONS, "{\"name\":\"c" + NUL + "\"}", refused());
        json("collection model", COLLECTIONS, "{\"name\":\"nul-model\",\"model\":\"" + NUL + "\"}", refused());
        json("item id", items(), upsert("{\"id\":\"i" + NUL + "\",\"vector\":" + f.vector() + "}"), refused());
        json("item text", items(), upsert("{\"id\":\"nt\",\"text\":\"a" + NUL + "\"}"), refused());
        json("item metadata value", items(), upsert("{\"id\":\"nm\",\"vector\":" + f.vector() + ",\"metadata\":{\"k\":\"v" + NUL + "\"}}"), refused());
        json("item metadata key", items(), upsert("{\"id\":\"nk\",\"vector\":" + f.vector() + ",\"metadata\":{\"k" + NUL + "\":\"v\"}}"), refused());
        json("item metadata nested value", items(), upsert("{\"id\":\"nn\",\"vector\":" + f.vector() + ",\"metadata\":{\"a\":{\"b\":[\"" + NUL + "\"]}}}"), refused());
        json("items/delete id", items() + "/delete", "{\"ids\":[\"v" + NUL + "\"]}", refused());
        json("search query text", search(), searchBody("{\"text\":\"boot" + NUL + "\"}", null), refused());
        json("search query item_id", search(), searchBody("{\"item_id\":\"v1" + NUL + "\"}", null), refused());
        json("search query image", search(), searchBody("{\"image\":\"" + NUL + "\"}", null), refused());
        json("search filter value", search(), searchBody("{\"vector\":" + f.vector() + "}", "{\"kind\":\"shoe" + NUL + "\"}"), refused());
        json("search filter key", search(), searchBody("{\"vector\":" + f.vector() + "}", "{\"ki" + NUL + "nd\":\"shoe\"}"), refused());
        json("search filter in value", search(), searchBody("{\"vector\":" + f.vector() + "}", "{\"kind\":{\"in\":[\"a" + NUL + "\"]}}"), refused());
        json("model switch model", COLLECTIONS + "/" + Fixtures.SCRATCH + "/model", "{\"model\":\"m" + NUL + "\"}", refused());

        get("collection name in path", COLLECTIONS + "/%00", refused());
        get("collection name in path, suffix", COLLECTIONS + "/target%00", refused());
        add(probe("item id in path").delete(items() + "/v1%00").expect(refused()));
        json("collection name in search path", COLLECTIONS + "/x%00/search", searchBody("{\"text\":\"a\"}", null), refused());
        get("job list status", JOBS + "?status=%00", refused());
        get("job list after", JOBS + "?after=%00", refused());
        get("job id in path", JOBS + "/%00", refused());
        get("item list status", f.jobPath() + "/items?status=succeeded%00", refused());
        get("results path suffix", f.jobPath() + "/results%00", refused());
        get("models query parameter (ignored)", "/v1/models?x=%00", any());
        add(probe("health query").key(null).get("/health?%00").expect(any()));
        get("unknown route", "/%00", refused());
        jsonl("upload type parameter", "type=echo%00", "{\"input\":1}\n", refused());
        jsonl("upload model parameter", "type=embed&model=%00", "{\"text\":\"a\"}\n", refused());
        jsonl("upload labels parameter", "type=classify&labels=a%00&labels=b", "{\"image\":\"" + img + "\"}\n", refused());
        jsonl("upload templates parameter", "type=classify&labels=a&templates=%7B%7D%00", "{\"image\":\"" + img + "\"}\n", refused());
        jsonl("upload collection parameter", "type=ingest&collection=target%00", "{\"item_id\":\"u\",\"text\":\"a\"}\n", refused());

        // an upload's bad line is that line's item error; the good line runs
        JobOutcome oneBadLine = JobOutcome.items(1, 1);
        jsonl("upload line text", "type=embed", "{\"text\":\"boot\"}\n{\"text\":\"a" + NUL + "b\"}\n", any().job(oneBadLine));
        jsonl("upload line custom_id", "type=echo", "{\"custom_id\":\"ok\",\"input\":1}\n{\"custom_id\":\"x" + NUL + "\",\"input\":1}\n", any().job(oneBadLine));
        jsonl("upload line echo input", "type=echo", "{\"input\":1}\n{\"input\":{\"k\":\"" + NUL + "\"}}\n", any().job(oneBadLine));
        jsonl("upload line item_id", "type=ingest&collection=target", "{\"item_id\":\"jl1\",\"text\":\"boot\"}\n{\"item_id\":\"jl" + NUL + "\",\"text\":\"bag\"}\n", any().job(oneBadLine));
        jsonl("upload line metadata value", "type=ingest&collection=target", "{\"item_id\":\"jl2\",\"text\":\"boot\"}\n{\"item_id\":\"jl3\",\"text\":\"bag\",\"metadata\":{\"k\":\"" + NUL + "\"}}\n", any().job(oneBadLine));
        jsonl("upload line metadata key", "type=ingest&collection=target", "{\"item_id\":\"jl4\",\"text\":\"boot\"}\n{\"item_id\":\"jl5\",\"text\":\"bag\",\"metadata\":{\"" + NUL + "\":1}}\n", any().job(oneBadLine));
        add(probe("upload line with a raw NUL byte").post(JOBS + "?type=echo")
                .body("{\"input\":1}\n{\"input\":\u0000}\n".getBytes(StandardCharsets.UTF_8), JSONL).expect(any().job(oneBadLine)));

        byte[] png = Images.png();
        zip("zip entry name", "type=embed", new ZipWriter().add("good.png", png)
                .addRawName("bad\0name.png".getBytes(StandardCharsets.UTF_8), png).toBytes(), any().job(oneBadLine));
        zip("zip metadata.jsonl value", "type=ingest&collection=target", new ZipWriter().add("z1.png", png).add("z2.png", png)
                .add("metadata.jsonl", "{\"custom_id\":\"z2.png\",\"metadata\":{\"k\":\"" + NUL + "\"}}\n").toBytes(), any().job(oneBadLine));
        zip("zip metadata.jsonl key", "type=ingest&collection=target", new ZipWriter().add("z3.png", png).add("z4.png", png)
                .add("metadata.jsonl", "{\"custom_id\":\"z4.png\",\"metadata\":{\"" + NUL + "\":1}}\n").toBytes(), any().job(oneBadLine));
        zip("zip metadata.jsonl custom_id", "type=ingest&collection=target", new ZipWriter().add("z5.png", png)
                .add("metadata.jsonl", "{\"custom_id\":\"z5" + NUL + ".png\",\"metadata\":{\"k\":1}}\n").toBytes(), any().job(JobOutcome.FINISHES));
    }
}
