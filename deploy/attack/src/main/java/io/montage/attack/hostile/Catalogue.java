package io.montage.attack.hostile;

import io.montage.attack.Fixtures;
import io.montage.attack.Keys;
import io.montage.attack.probe.Expect;
import io.montage.attack.probe.Probe;
import io.montage.attack.probe.ProbeBuilder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One class of hostile requests. Subclasses list their probes in {@link #build()} with the helpers here, which send
 * tenant A's all-scope key unless a probe says otherwise.
 */
abstract class Catalogue {

    static final String EMBEDDINGS = "/v1/embeddings";
    static final String MODELS = "/v1/models";
    static final String CLASSIFY = "/v1/classify";
    static final String SIMILARITY = "/v1/similarity";
    static final String JOBS = "/v1/jobs";
    static final String COLLECTIONS = "/v1/collections";
    static final String EVALUATIONS = "/v1/evaluations";
    static final String JSONL = "application/x-ndjson";
    static final String ZIP = "application/zip";

    protected final Keys keys;
    protected final Fixtures f;
    private final String category;
    private final List<Probe> probes = new ArrayList<>();

    Catalogue(String category, Keys keys, Fixtures fixtures) {
        this.category = category;
        this.keys = keys;
        this.f = fixtures;
    }

    abstract void build();

    final List<Probe> probes() {
        if (probes.isEmpty()) {
            build();
        }
        return List.copyOf(probes);
    }

    /** A probe of this class with tenant A's all-scope key. */
    ProbeBuilder probe(String description) {
        return ProbeBuilder.probe(category, description).key(keys.all());
    }

    void add(Probe probe) {
        probes.add(probe);
    }

    void json(String description, String path, String body, Expect expect) {
        add(probe(description).post(path).json(body).expect(expect));
    }

    void get(String description, String target, Expect expect) {
        add(probe(description).get(target).expect(expect));
    }

    /** A JSONL upload to POST /v1/jobs?{query}. */
    void jsonl(String description, String query, String lines, Expect expect) {
        add(probe(description).post(JOBS + "?" + query).body(lines.getBytes(StandardCharsets.UTF_8), JSONL).expect(expect));
    }

    /** A zip upload to POST /v1/jobs?{query}. */
    void zip(String description, String query, byte[] archive, Expect expect) {
        add(probe(description).post(JOBS + "?" + query).body(archive, ZIP).expect(expect));
    }

    String items() {
        return f.collectionPath() + "/items";
    }

    String search() {
        return f.collectionPath() + "/search";
    }

    /** An inline echo job holding this one item (JSON text). */
    static String echoJob(String item) {
        return "{\"type\":\"echo\",\"items\":[" + item + "]}";
    }

    /** An upsert of this one collection item (JSON text). */
    static String upsert(String item) {
        return "{\"items\":[" + item + "]}";
    }

    /** A JSON object of these fields, each value JSON text as given. */
    static String object(java.util.Map<String, String> fields) {
        java.util.StringJoiner out = new java.util.StringJoiner(",", "{", "}");
        fields.forEach((name, value) -> out.add("\"" + name + "\":" + value));
        return out.toString();
    }

    /** A search with this query and filter (JSON texts; filter may be null). */
    static String searchBody(String query, String filter) {
        return "{\"query\":" + query + (filter == null ? "" : ",\"filter\":" + filter) + "}";
    }
}
