package io.montage.attack.probe;

import io.montage.attack.http.Header;
import io.montage.attack.http.Request;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds probes tersely: {@code probe("nul", "label with NUL").post("/v1/classify").key(k).json(body).expect(refused())}. */
public final class ProbeBuilder {

    private final String category;
    private final String description;
    private String method = "GET";
    private String target = "/";
    private final List<Header> headers = new ArrayList<>();
    private byte[] body;
    private boolean raw;

    private ProbeBuilder(String category, String description) {
        this.category = category;
        this.description = description;
    }

    public static ProbeBuilder probe(String category, String description) {
        return new ProbeBuilder(category, description);
    }

    public ProbeBuilder get(String path) {
        return method("GET", path);
    }

    public ProbeBuilder post(String path) {
        return method("POST", path);
    }

    public ProbeBuilder delete(String path) {
        return method("DELETE", path);
    }

    public ProbeBuilder method(String verb, String path) {
        this.method = verb;
        this.target = path;
        return this;
    }

    /** Authorization: Bearer {@code key} instead of any Authorization header so far; none when {@code key} is null. */
    public ProbeBuilder key(String key) {
        headers.removeIf(h -> h.name().equalsIgnoreCase("Authorization"));
        return key == null ? this : header("Authorization", "Bearer " + key);
    }

    public ProbeBuilder header(String name, String value) {
        headers.add(new Header(name, value));
        return this;
    }

    /** A JSON body (text as given, UTF-8) with Content-Type application/json. */
    public ProbeBuilder json(String text) {
        return body(text.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    /** A body of these bytes with this Content-Type (none when null). */
    public ProbeBuilder body(byte[] bytes, String contentType) {
        if (contentType != null) {
            header("Content-Type", contentType);
        }
        this.body = bytes;
        return this;
    }

    /** Over a plain socket, exactly as built. */
    public ProbeBuilder raw() {
        this.raw = true;
        return this;
    }

    public Request request() {
        return new Request(method, target, headers, body, raw);
    }

    public Probe expect(Expect expect) {
        return new Probe(category, description, request(), expect);
    }
}
