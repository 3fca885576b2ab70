package io.montage.attack.hostile;

import io.montage.attack.Fixtures;
import io.montage.attack.Keys;
import io.montage.attack.inputs.Images;
import io.montage.attack.inputs.Repeated;
import io.montage.attack.probe.JobOutcome;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static io.montage.attack.probe.Expect.any;
import static io.montage.attack.probe.Expect.refused;
import static io.montage.attack.probe.Expect.status;
import static io.montage.attack.probe.Expect.success;

/**
 * Bodies that are too big or expand: compression bombs behind {@code Content-Encoding}, a declared
 * {@code Content-Length} over the limit (with and without {@code Expect: 100-continue}), chunked bodies over the
 * JSON limit, and a body under the documented limit that must be read. These run in the heavy phase, with a canary
 * that shows whether they stall everyone else.
 */
final class BombProbes extends Catalogue {

    /** The JSON body limit: follows the default of montage.api.max-json-bytes (32 MiB). */
    private static final int JSON_LIMIT = 33_554_432;
    /** One byte over the JSON body limit. */
    private static final int OVER_JSON_LIMIT = JSON_LIMIT + 1;

    BombProbes(Keys keys, Fixtures fixtures) {
        super("bomb", keys, fixtures);
    }

    @Override
    void build() {
        compression();
        declaredLength();
        // 12 MB of JSON: under the JSON limit, so the api must read it (the "image" is not one: 422 from the worker)
        byte[] noise = new byte[9 * 1024 * 1024];
        new Random(7).nextBytes(noise);
        json("12 MB JSON body under the 32 MiB JSON limit", EMBEDDINGS,
                "{\"input\":[{\"image\":\"" + Images.base64(noise) + "\"}]}", status(422));
    }

    private void compression() {
        Repeated bigJson = Repeated.of("{\"input\":\"", "a", 64L * 1024 * 1024, "\"}");
        byte[] gzipBomb = bigJson.gzip();
        add(probe("gzip bomb (64 MB of JSON) to embeddings").post(EMBEDDINGS).header("Content-Encoding", "gzip")
                .body(gzipBomb, "application/json").expect(refused()));
        add(probe("gzip bomb (64 MB of JSON) to search").post(search()).header("Content-Encoding", "gzip")
                .body(Repeated.of("{\"query\":{\"text\":\"", "b", 64L * 1024 * 1024, "\"}}").gzip(), "application/json").expect(refused()));
        add(probe("gzip bomb (64 MB of JSON) to jobs").post(JOBS).header("Content-Encoding", "gzip")
                .body(Repeated.of("{\"type\":\"echo\",\"items\":[", "{\"input\":1},", 6L * 1024 * 1024, "{\"input\":1}]}").gzip(),
                        "application/json").expect(refused()));
        add(probe("gzip bomb of whitespace (256 MB) to collections").post(COLLECTIONS).header("Content-Encoding", "gzip")
                .body(Repeated.of("{\"name\":\"ws\"", " ", 256L * 1024 * 1024, "}").gzip(), "application/json").expect(refused()));
        add(probe("deflate bomb (64 MB) to embeddings").post(EMBEDDINGS).header("Content-Encoding", "deflate")
                .body(bigJson.deflateZlib(), "application/json").expect(refused()));
        add(probe("gzip inside gzip").post(EMBEDDINGS).header("Content-Encoding", "gzip, gzip")
                .body(gzipOf(gzipBomb), "application/json").expect(refused()));
        add(probe("gzip bomb upload: one 64 MB line").post(JOBS + "?type=echo").header("Content-Encoding", "gzip")
                .body(Repeated.of("{\"input\":\"", "z", 64L * 1024 * 1024, "\"}\n{\"input\":1}\n").gzip(), JSONL)
                .expect(any().job(JobOutcome.items(1, 1))));
        add(probe("Content-Encoding gzip on a plain body").post(EMBEDDINGS).header("Content-Encoding", "gzip")
                .json("{\"input\":\"a\"}").expect(refused()));
        add(probe("truncated gzip body").post(EMBEDDINGS).header("Content-Encoding", "gzip")
                .body(java.util.Arrays.copyOf(Repeated.of("{\"input\":\"", "a", 1000, "\"}").gzip(), 20), "application/json")
                .expect(refused()));
        add(probe("unknown Content-Encoding").post(EMBEDDINGS).header("Content-Encoding", "xyz")
                .json("{\"input\":\"a\"}").expect(any()));
        add(probe("Content-Encoding identity (control)").post(EMBEDDINGS).header("Content-Encoding", "identity")
                .json("{\"input\":\"a\"}").expect(success()));
    }

    private static byte[] gzipOf(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var gzip = new java.util.zip.GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void declaredLength() {
        for (String path : new String[]{EMBEDDINGS, JOBS, items()}) {
            add(probe("Content-Length " + OVER_JSON_LIMIT + " with Expect: 100-continue to " + path).post(path).raw()
                    .header("Content-Type", "application/json").header("Content-Length", String.valueOf(OVER_JSON_LIMIT))
                    .header("Expect", "100-continue").expect(status(413, 417)));
        }
        add(probe("Content-Length 5 GB with Expect: 100-continue to an upload").post(JOBS + "?type=echo").raw()
                .header("Content-Type", JSONL).header("Content-Length", "5000000000").header("Expect", "100-continue")
                .expect(status(413, 417)));
        add(probe("Content-Length 2^63 to an upload").post(JOBS + "?type=echo").raw()
                .header("Content-Type", JSONL).header("Content-Length", "9223372036854775807").expect(refused()));
        add(probe("Content-Length 2^64 (overflows)").post(EMBEDDINGS).raw()
                .header("Content-Type", "application/json").header("Content-Length", "18446744073709551616").expect(refused()));
        add(probe("Content-Length -1").post(EMBEDDINGS).raw()
                .header("Content-Type", "application/json").header("Content-Length", "-1").expect(refused()));
        add(probe("Content-Length " + OVER_JSON_LIMIT + ", no body sent").post(EMBEDDINGS).raw()
                .header("Content-Type", "application/json").header("Content-Length", String.valueOf(OVER_JSON_LIMIT))
                .expect(status(413)));
        byte[] chunked = chunked(Repeated.of("{\"input\":\"", "c", OVER_JSON_LIMIT, "\"}"));
        add(probe("chunked JSON body over the limit to embeddings").post(EMBEDDINGS).raw()
                .header("Transfer-Encoding", "chunked").body(chunked, "application/json").expect(status(413)));
        add(probe("chunked JSON body over the limit to upsert").post(items()).raw()
                .header("Transfer-Encoding", "chunked")
                .body(chunked(Repeated.of("{\"items\":[{\"id\":\"big\",\"text\":\"", "d", OVER_JSON_LIMIT, "\"}]}")), "application/json")
                .expect(status(413)));
        add(probe("JSON body over the limit with its length declared").post(EMBEDDINGS)
                .body(Repeated.of("{\"input\":\"", "e", OVER_JSON_LIMIT, "\"}").expand(), "application/json").raw()
                .expect(status(413)));
    }

    /** The content in chunked transfer coding, 64 KiB a chunk. */
    private static byte[] chunked(Repeated content) {
        byte[] plain = content.expand();
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length + plain.length / 8);
        for (int at = 0; at < plain.length; at += 65536) {
            int n = Math.min(65536, plain.length - at);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(plain, at, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
