package io.montage.attack.hostile;

import io.montage.attack.Fixtures;
import io.montage.attack.Keys;
import io.montage.attack.probe.JobOutcome;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.montage.attack.inputs.Bodies.nestedArrays;
import static io.montage.attack.inputs.Bodies.nestedObjects;
import static io.montage.attack.probe.Expect.any;
import static io.montage.attack.probe.Expect.problem;
import static io.montage.attack.probe.Expect.refused;
import static io.montage.attack.probe.Expect.status;
import static io.montage.attack.probe.Expect.success;

/**
 * JSON that parses badly or means something odd: nesting past the depth limit (422), duplicate keys (400), lone
 * surrogates and invalid UTF-8, {@code null} where an item belongs, wrong types for every field, huge numbers,
 * empty, truncated and non-standard bodies.
 */
final class JsonShapeProbes extends Catalogue {

    /** Deeper than the "about 64 levels" the issue asks the server to allow. */
    private static final int TOO_DEEP = 70;

    JsonShapeProbes(Keys keys, Fixtures fixtures) {
        super("json", keys, fixtures);
    }

    @Override
    void build() {
        depth();
        duplicateKeys();
        surrogatesAndEncoding();
        nulls();
        wrongTypes();
        hugeNumbers();
        emptyAndTruncated();
    }

    private void depth() {
        json("embeddings input nested 70 deep", EMBEDDINGS, "{\"input\":" + nestedArrays(TOO_DEEP, "\"a\"") + "}", status(422));
        json("embeddings input nested 10,000 deep", EMBEDDINGS, "{\"input\":" + nestedArrays(10_000, "\"a\"") + "}", status(422));
        json("job echo input nested 70 deep", JOBS, echoJob("{\"input\":" + nestedObjects(TOO_DEEP, "1") + "}"), status(422));
        json("job echo input nested 10,000 deep", JOBS, echoJob("{\"input\":" + nestedArrays(10_000, "1") + "}"), status(422));
        json("item metadata nested 70 deep", items(), upsert("{\"id\":\"deep\",\"vector\":" + f.vector() + ",\"metadata\":" + nestedObjects(TOO_DEEP, "1") + "}"), status(422));
        json("search filter nested 70 deep", search(), searchBody("{\"vector\":" + f.vector() + "}", "{\"kind\":" + nestedObjects(TOO_DEEP, "1") + "}"), status(422));
        json("search filter nested 10,000 deep", search(), searchBody("{\"vector\":" + f.vector() + "}", "{\"kind\":" + nestedArrays(10_000, "1") + "}"), status(422));
        json("classify labels nested 70 deep", CLASSIFY, "{\"images\":[\"" + f.png() + "\"],\"labels\":" + nestedArrays(TOO_DEEP, "\"a\"") + "}", status(422));
        json("collection body nested 10,000 deep", COLLECTIONS, "{\"name\":" + nestedObjects(10_000, "1") + "}", status(422));
        json("10,000 unclosed arrays", EMBEDDINGS, "[".repeat(10_000), refused());
        json("job echo input nested 20 deep (allowed)", JOBS, echoJob("{\"input\":" + nestedObjects(20, "1") + "}"), success().job(JobOutcome.items(1, 0)));
        jsonl("upload line nested 70 deep", "type=echo", "{\"input\":1}\n{\"input\":" + nestedArrays(TOO_DEEP, "1") + "}\n",
                any().job(JobOutcome.items(1, 1)));
    }

    private void duplicateKeys() {
        json("embeddings duplicate input", EMBEDDINGS, "{\"input\":\"a\",\"input\":\"b\"}", status(400));
        json("classify duplicate labels", CLASSIFY, "{\"images\":[\"" + f.png() + "\"],\"labels\":[\"a\"],\"labels\":[\"b\"]}", status(400));
        json("similarity duplicate texts", SIMILARITY, "{\"images\":[\"" + f.png() + "\"],\"texts\":[\"a\"],\"texts\":[\"b\"]}", status(400));
        json("job duplicate type", JOBS, "{\"type\":\"echo\",\"type\":\"embed\",\"items\":[{\"input\":1}]}", status(400));
        json("job item duplicate custom_id", JOBS, echoJob("{\"custom_id\":\"a\",\"custom_id\":\"b\",\"input\":1}"), status(400));
        json("job echo input duplicate key", JOBS, echoJob("{\"input\":{\"k\":1,\"k\":2}}"), status(400));
        json("collection duplicate name", COLLECTIONS, "{\"name\":\"dup-a\",\"name\":\"dup-b\"}", status(400));
        json("item metadata duplicate key", items(), upsert("{\"id\":\"dupm\",\"vector\":" + f.vector() + ",\"metadata\":{\"k\":1,\"k\":2}}"), status(400));
        json("item duplicate id field", items(), upsert("{\"id\":\"dup1\",\"id\":\"dup2\",\"vector\":" + f.vector() + "}"), status(400));
        json("search duplicate query text", search(), "{\"query\":{\"text\":\"a\",\"text\":\"b\"}}", status(400));
        json("search filter duplicate key", search(), searchBody("{\"vector\":" + f.vector() + "}", "{\"kind\":\"shoe\",\"kind\":\"bag\"}"), status(400));
        json("search duplicate top_k", search(), "{\"query\":{\"text\":\"a\"},\"top_k\":1,\"top_k\":1000}", status(400));
        jsonl("upload line with duplicate keys", "type=echo", "{\"input\":1}\n{\"input\":1,\"input\":2}\n", any().job(JobOutcome.items(1, 1)));
    }

    private void surrogatesAndEncoding() {
        json("embeddings lone high surrogate", EMBEDDINGS, "{\"input\":\"\\ud800\"}", refused());
        json("embeddings lone low surrogate", EMBEDDINGS, "{\"input\":\"x\\udc00y\"}", refused());
        json("classify label lone surrogate", CLASSIFY, "{\"images\":[\"" + f.png() + "\"],\"labels\":[\"\\ud83d\"]}", refused());
        json("similarity text lone surrogate", SIMILARITY, "{\"images\":[\"" + f.png() + "\"],\"texts\":[\"\\udfff\"]}", refused());
        json("job custom_id lone surrogate", JOBS, echoJob("{\"custom_id\":\"\\ud800\",\"input\":1}"), refused());
        json("job echo input lone surrogate", JOBS, echoJob("{\"input\":\"\\udbff\"}"), refused());
        json("collection name lone surrogate", COLLECTIONS, "{\"name\":\"\\ud800\"}", refused());
        json("item id lone surrogate", items(), upsert("{\"id\":\"\\ud800\",\"vector\":" + f.vector() + "}"), refused());
        json("item metadata lone surrogate", items(), upsert("{\"id\":\"sur\",\"vector\":" + f.vector() + ",\"metadata\":{\"k\":\"\\udfff\"}}"), refused());
        json("search text lone surrogate", search(), searchBody("{\"text\":\"\\ud800\"}", null), refused());
        jsonl("upload line lone surrogate", "type=echo", "{\"input\":1}\n{\"input\":\"\\ud800\"}\n", any().job(JobOutcome.items(1, 1)));
        bytes("embeddings invalid UTF-8 byte", EMBEDDINGS, "{\"input\":\"a", new byte[]{(byte) 0xFF}, "\"}");
        bytes("embeddings overlong UTF-8 slash", EMBEDDINGS, "{\"input\":\"a", new byte[]{(byte) 0xC0, (byte) 0xAF}, "\"}");
        bytes("embeddings UTF-8 encoded surrogate", EMBEDDINGS, "{\"input\":\"a", new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}, "\"}");
        bytes("collection name truncated UTF-8", COLLECTIONS, "{\"name\":\"a", new byte[]{(byte) 0xE2, (byte) 0x82}, "\"}");
        bytes("search filter invalid UTF-8", search(), "{\"query\":{\"vector\":" + f.vector() + "},\"filter\":{\"kind\":\"",
                new byte[]{(byte) 0xFE}, "\"}}");
        bytes("body in UTF-16", EMBEDDINGS, "", "{\"input\":\"a\"}".getBytes(StandardCharsets.UTF_16LE), "");
    }

    /** A body of {@code before}, raw {@code middle} bytes, {@code after}: an encoding error must be a 4xx. */
    private void bytes(String description, String path, String before, byte[] middle, String after) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(middle);
        body.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        add(probe(description).post(path).body(body.toByteArray(), "application/json").expect(refused()));
    }

    private void nulls() {
        json("job items [null]", JOBS, "{\"type\":\"echo\",\"items\":[null]}", status(422));
        json("job items [item, null]", JOBS, "{\"type\":\"echo\",\"items\":[{\"input\":1},null]}", status(422));
        jsonl("upload line null", "type=echo", "{\"input\":1}\nnull\n", any().job(JobOutcome.items(1, 1)));
        jsonl("upload line []", "type=echo", "{\"input\":1}\n[]\n", any().job(JobOutcome.items(1, 1)));
        jsonl("upload line 42", "type=echo", "{\"input\":1}\n42\n", any().job(JobOutcome.items(1, 1)));
        jsonl("upload line \"text\"", "type=embed", "{\"text\":\"boot\"}\n\"boot\"\n", any().job(JobOutcome.items(1, 1)));
        json("embeddings input null", EMBEDDINGS, "{\"input\":null}", refused());
        json("embeddings input [null]", EMBEDDINGS, "{\"input\":[null]}", refused());
        json("embeddings input [\"a\", null]", EMBEDDINGS, "{\"input\":[\"a\",null]}", refused());
        json("classify labels [null]", CLASSIFY, "{\"images\":[\"" + f.png() + "\"],\"labels\":[null]}", refused());
        json("classify images [null]", CLASSIFY, "{\"images\":[null],\"labels\":[\"a\"]}", refused());
        json("classify templates [null]", CLASSIFY, "{\"images\":[\"" + f.png() + "\"],\"labels\":[\"a\"],\"templates\":[null]}", refused());
        json("similarity texts [null]", SIMILARITY, "{\"images\":[\"" + f.png() + "\"],\"texts\":[null]}", refused());
        json("upsert items [null]", items(), "{\"items\":[null]}", refused());
        json("items/delete ids [null]", items() + "/delete", "{\"ids\":[null]}", refused());
        json("search query null", search(), "{\"query\":null}", refused());
        json("search query vector [null…]", search(), searchBody("{\"vector\":[null]}", null), refused());
        json("collection name null", COLLECTIONS, "{\"name\":null}", refused());
        for (String path : new String[]{EMBEDDINGS, CLASSIFY, JOBS, COLLECTIONS, search()}) {
            json("body null to " + path, path, "null", refused());
        }
    }

    private void wrongTypes() {
        String img = "\"" + f.png() + "\"";
        String[][] embeddings = {{"model", "1"}, {"input", "1"}, {"input", "true"}, {"input", "{}"}, {"input", "[1]"},
                {"input", "[[\"a\"]]"}, {"encoding_format", "1"}, {"dimensions", "\"128\""}, {"dimensions", "1.5"},
                {"dimensions", "true"}, {"user", "1"}, {"user", "{}"}};
        for (String[] field : embeddings) {
            String body = field[0].equals("input") ? "{\"input\":" + field[1] + "}" : "{\"input\":\"a\",\"" + field[0] + "\":" + field[1] + "}";
            json("embeddings " + field[0] + " as " + field[1], EMBEDDINGS, body, refused());
        }
        String[][] classify = {{"model", "[]"}, {"images", img}, {"images", "[1]"}, {"labels", "\"a\""}, {"labels", "[1]"},
                {"templates", "\"a {}\""}, {"templates", "[{}]"}};
        for (String[] field : classify) {
            Map<String, String> body = new LinkedHashMap<>(Map.of("images", "[" + img + "]", "labels", "[\"a\",\"b\"]"));
            body.put(field[0], field[1]);
            json("classify " + field[0] + " as " + shorten(field[1]), CLASSIFY, object(body), refused());
        }
        json("similarity images as object", SIMILARITY, "{\"images\":{},\"texts\":[\"a\"]}", refused());
        json("similarity texts as number", SIMILARITY, "{\"images\":[" + img + "],\"texts\":1}", refused());
        String[][] job = {{"type", "1"}, {"model", "{}"}, {"collection", "[]"}, {"labels", "{}"}, {"templates", "1"},
                {"items", "{}"}, {"items", "\"x\""}, {"items", "[1]"}};
        for (String[] field : job) {
            String body = field[0].equals("type") ? "{\"type\":1,\"items\":[{\"input\":1}]}"
                    : field[0].equals("items") ? "{\"type\":\"echo\",\"items\":" + field[1] + "}"
                    : "{\"type\":\"echo\",\"" + field[0] + "\":" + field[1] + ",\"items\":[{\"input\":1}]}";
            json("job " + field[0] + " as " + field[1], JOBS, body, refused());
        }
        json("job custom_id as number", JOBS, echoJob("{\"custom_id\":1,\"input\":1}"), refused());
        json("job embed text as number", JOBS, "{\"type\":\"embed\",\"items\":[{\"text\":1}]}", refused());
        json("job embed image as object", JOBS, "{\"type\":\"embed\",\"items\":[{\"image\":{}}]}", refused());
        json("job embed image_url as array", JOBS, "{\"type\":\"embed\",\"items\":[{\"image_url\":[]}]}", refused());
        json("job ingest item_id as number", JOBS, "{\"type\":\"ingest\",\"collection\":\"target\",\"items\":[{\"item_id\":1,\"text\":\"a\"}]}", refused());
        json("job ingest metadata as string", JOBS, "{\"type\":\"ingest\",\"collection\":\"target\",\"items\":[{\"item_id\":\"w\",\"text\":\"a\",\"metadata\":\"x\"}]}", refused());
        json("collection name as number", COLLECTIONS, "{\"name\":1}", refused());
        json("collection model as number", COLLECTIONS, "{\"name\":\"typed\",\"model\":1}", refused());
        json("upsert items as object", items(), "{\"items\":{}}", refused());
        json("item id as number", items(), upsert("{\"id\":1,\"vector\":" + f.vector() + "}"), refused());
        json("item text as number", items(), upsert("{\"id\":\"w1\",\"text\":1}"), refused());
        json("item image as object", items(), upsert("{\"id\":\"w2\",\"image\":{}}"), refused());
        json("item vector as string", items(), upsert("{\"id\":\"w3\",\"vector\":\"0.1\"}"), refused());
        json("item vector of strings", items(), upsert("{\"id\":\"w4\",\"vector\":" + f.vector().replaceAll("([0-9.]+)", "\"$1\"") + "}"), refused());
        json("item metadata as number", items(), upsert("{\"id\":\"w5\",\"vector\":" + f.vector() + ",\"metadata\":1}"), refused());
        json("item metadata as array", items(), upsert("{\"id\":\"w6\",\"vector\":" + f.vector() + ",\"metadata\":[1]}"), refused());
        json("items/delete ids as string", items() + "/delete", "{\"ids\":\"v1\"}", refused());
        json("items/delete ids of numbers", items() + "/delete", "{\"ids\":[1]}", refused());
        String[][] search = {{"query", "\"x\""}, {"query", "[]"}, {"top_k", "\"10\""}, {"top_k", "1.5"}, {"top_k", "true"},
                {"exact", "\"yes\""}, {"exact", "1"}, {"filter", "\"x\""}, {"filter", "[]"}, {"filter", "1"}};
        for (String[] field : search) {
            String body = field[0].equals("query") ? "{\"query\":" + field[1] + "}"
                    : "{\"query\":{\"vector\":" + f.vector() + "},\"" + field[0] + "\":" + field[1] + "}";
            json("search " + field[0] + " as " + field[1], search(), body, refused());
        }
        json("search query.text as number", search(), searchBody("{\"text\":1}", null), refused());
        json("search query.item_id as number", search(), searchBody("{\"item_id\":1}", null), refused());
        json("search query.vector as object", search(), searchBody("{\"vector\":{}}", null), refused());
        json("model switch model as number", COLLECTIONS + "/" + Fixtures.SCRATCH + "/model", "{\"model\":1}", refused());
        for (String path : new String[]{EMBEDDINGS, JOBS, COLLECTIONS, search(), items()}) {
            json("body [] to " + path, path, "[]", refused());
            json("body \"text\" to " + path, path, "\"text\"", refused());
        }
    }

    private static String shorten(String value) {
        return value.length() > 12 ? value.substring(0, 12) + "…" : value;
    }

    private void hugeNumbers() {
        json("embeddings dimensions 1e400", EMBEDDINGS, "{\"input\":\"a\",\"dimensions\":1e400}", refused());
        json("embeddings dimensions 2^64", EMBEDDINGS, "{\"input\":\"a\",\"dimensions\":18446744073709551616}", refused());
        json("embeddings input a 100,000-digit number", EMBEDDINGS, "{\"input\":" + "9".repeat(100_000) + "}", refused());
        json("search top_k 1e400", search(), "{\"query\":{\"vector\":" + f.vector() + "},\"top_k\":1e400}", refused());
        json("search top_k 2^64", search(), "{\"query\":{\"vector\":" + f.vector() + "},\"top_k\":18446744073709551616}", refused());
        json("search top_k -2^64", search(), "{\"query\":{\"vector\":" + f.vector() + "},\"top_k\":-18446744073709551616}", refused());
        json("item vector of 1e400", items(), upsert("{\"id\":\"h1\",\"vector\":" + f.vector().replace("0.9", "1e400") + "}"), refused());
        json("item metadata number 1e400", items(), upsert("{\"id\":\"h2\",\"vector\":" + f.vector() + ",\"metadata\":{\"n\":1e400}}"), any());
        json("item metadata 1,000-digit number", items(), upsert("{\"id\":\"h3\",\"vector\":" + f.vector() + ",\"metadata\":{\"n\":" + "7".repeat(1000) + "}}"), any());
        json("search filter gte 1e400", search(), searchBody("{\"vector\":" + f.vector() + "}", "{\"price\":{\"gte\":1e400}}"), any());
        json("job echo input 1e400", JOBS, echoJob("{\"input\":1e400}"), any().job(JobOutcome.FINISHES));
        get("job list limit 2^64", JOBS + "?limit=18446744073709551616", refused());
        get("item list after 2^64", f.jobPath() + "/items?after=18446744073709551616", refused());
    }

    private void emptyAndTruncated() {
        for (String path : new String[]{EMBEDDINGS, CLASSIFY, SIMILARITY, JOBS, COLLECTIONS, items(), items() + "/delete",
                search(), COLLECTIONS + "/" + Fixtures.SCRATCH + "/model"}) {
            json("empty body to " + path, path, "", refused());
        }
        jsonl("empty upload", "type=echo", "", refused());
        jsonl("upload of blank lines only", "type=echo", "\n\n\r\n  \n", refused());
        zip("empty zip upload", "type=embed", new byte[0], refused());
        String[][] truncated = {{EMBEDDINGS, "{\"input\": \"abc"}, {CLASSIFY, "{\"labels\":[\"a\","},
                {JOBS, "{\"type\":\"echo\",\"items\":[{\"input\":"}, {COLLECTIONS, "{\"name\":\"x\""},
                {search(), "{\"query\":{\"text\":\"a\"},\"filter\":{"}, {items(), "{\"items\":[{\"id\":\"x\",\"vector\":[0.1,"},
                {EMBEDDINGS, "{"}, {EMBEDDINGS, "{\"input\":\"\\u12"}};
        for (String[] t : truncated) {
            json("truncated JSON to " + t[0] + ": " + shorten(t[1]), t[0], t[1], status(400));
        }
        String[] nonStandard = {"{\"input\":\"a\"} trailing", "{\"input\":\"a\"}{\"input\":\"b\"}", "{\"input\":\"a\" /* c */}",
                "{'input':'a'}", "{input:\"a\"}", "{\"input\":\"a\",}", "{\"input\":[\"a\",]}", "{\"input\":NaN}",
                "{\"input\":\"a\",\"dimensions\":0128}", "{\"input\":\"a\",\"dimensions\":0x80}", "{\"input\":\"a\tb\"}",
                "{\"input\":\"\\x41\"}"};
        for (String body : nonStandard) {
            json("non-standard JSON: " + shorten(body.replace("{\"input\":", "")), EMBEDDINGS, body, status(400));
        }
        json("job items missing (type only)", JOBS, "{\"type\":\"echo\"}", problem(422, "empty_job"));
    }
}
