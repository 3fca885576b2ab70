package io.montage.attack.framing;

import io.montage.attack.Client;
import io.montage.attack.Keys;
import io.montage.attack.http.RawConnection;
import io.montage.attack.http.Reply;
import io.montage.attack.http.Request;
import io.montage.attack.probe.Expect;
import io.montage.attack.probe.Probe;
import io.montage.attack.probe.ReplyChecks;
import io.montage.attack.report.Outcome;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * HTTP/1.1 framing attacks over raw sockets, where what matters is the connection as a whole: request smuggling
 * with both Transfer-Encoding and Content-Length (400, the connection closed, the smuggled request never run),
 * slowloris (an incomplete request closed within about 10 s), and bytes that are no valid request at all.
 */
public final class FramingAttacks {

    private static final String CATEGORY = "framing";
    /** "Within about 10 s", with slack for a loaded machine. */
    private static final Duration SLOW_CLOSE = Duration.ofSeconds(15);

    private final Client client;
    private final Keys keys;
    private final String host;
    private final int port;

    public FramingAttacks(Client client, Keys keys) {
        this.client = client;
        this.keys = keys;
        this.host = client.sender().host();
        this.port = client.sender().port();
    }

    /** Every attack, as tasks that run in parallel (the slow ones wait seconds each). */
    public List<Callable<Outcome>> attacks() {
        List<Callable<Outcome>> attacks = new ArrayList<>();
        // the smuggled request after the terminating chunk: a server that frames by Transfer-Encoding reads it next
        String[][] afterLastChunk = {{"TE + CL", "Transfer-Encoding: chunked", ""},
                {"CL + TE (TE last)", "", "Transfer-Encoding: chunked"},
                {"TE in capitals + CL", "Transfer-Encoding: Chunked", ""},
                {"TE 'chunked, identity' + CL", "Transfer-Encoding: chunked, identity", ""},
                {"TE with a tab + CL", "Transfer-Encoding:\tchunked", ""},
                {"two TE headers + CL", "Transfer-Encoding: chunked\r\nTransfer-Encoding: x", ""},
                {"an unknown TE + CL", "Transfer-Encoding: xchunked", ""}};
        String lastChunk = "0\r\n\r\n";
        for (String[] variant : afterLastChunk) {
            attacks.add(() -> smuggle(variant[0] + ", smuggled after the last chunk", smuggled -> lines(variant[1])
                    + "Content-Length: " + (lastChunk.length() + smuggled.length()) + "\r\n" + lines(variant[2]),
                    smuggled -> lastChunk + smuggled));
        }
        attacks.add(() -> smuggle("TE + CL, smuggled after the declared length",
                smuggled -> "Transfer-Encoding: chunked\r\nContent-Length: " + (Integer.toHexString(smuggled.length()).length() + 2) + "\r\n",
                smuggled -> Integer.toHexString(smuggled.length()) + "\r\n" + smuggled + "\r\n0\r\n\r\n"));
        String json = "{\"input\":\"boot\"}";
        attacks.add(() -> smuggle("two different Content-Length headers",
                smuggled -> "Content-Length: " + json.length() + "\r\nContent-Length: " + (json.length() + smuggled.length()) + "\r\n",
                smuggled -> json + smuggled));
        attacks.add(() -> slow("slowloris: a header line every 2 s", connection -> {
            connection.send("GET /v1/models HTTP/1.1\r\nHost: " + host + "\r\n");
            for (int i = 0; i < 7 && !connection.closedWithin(Duration.ofSeconds(2)); i++) {
                connection.send("X-Slow-" + i + ": " + i + "\r\n");
            }
        }));
        attacks.add(() -> slow("slowloris: one byte a second", connection -> {
            connection.send("GET /v1/models HTTP/1.1\r\nHost: " + host + "\r\nX-Drip: ");
            for (int i = 0; i < 14 && !connection.closedWithin(Duration.ofSeconds(1)); i++) {
                connection.send("d");
            }
        }));
        attacks.add(() -> slow("slow body: 10 of 1,000 declared bytes, then silence", connection ->
                connection.send("POST /v1/embeddings HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + keys.all()
                        + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"input\":")));
        attacks.add(() -> slow("a connection that sends nothing", connection -> { }));
        attacks.add(() -> slow("a request line and then silence", connection -> connection.send("GET /v1/models HTTP/1.1\r\n")));
        attacks.addAll(garbage());
        attacks.add(this::pipelined);
        return attacks;
    }

    private interface Part {
        String of(String smuggled);
    }

    /** Header lines as written, each ending in CRLF; none for "". */
    private static String lines(String headers) {
        return headers.isEmpty() ? "" : headers + "\r\n";
    }

    /**
     * Sends POST /v1/embeddings with the given framing headers and body, where a server that picks the wrong
     * framing reads a second, smuggled request that creates a collection. Passes when the answer is a 400
     * problem, no second answer comes, the connection is closed, and the collection does not exist.
     */
    private Outcome smuggle(String description, Part framing, Part body) throws InterruptedException {
        String name = "smuggled-" + UUID.randomUUID().toString().substring(0, 8);
        String json = "{\"name\":\"" + name + "\"}";
        String smuggled = "POST /v1/collections HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + keys.all()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + json.length() + "\r\n\r\n" + json;
        String request = "POST /v1/embeddings HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + keys.all()
                + "\r\nContent-Type: application/json\r\n" + framing.of(smuggled) + "\r\n" + body.of(smuggled);
        List<String> failures = new ArrayList<>();
        Reply first;
        try (RawConnection connection = new RawConnection(host, port)) {
            connection.send(request);
            first = connection.next(Duration.ofSeconds(10));
            if (first == null) {
                failures.add("closed without a response");
                first = Reply.closedWithoutAnswer(0);
            } else {
                failures.addAll(ReplyChecks.check(probe(description, request, Expect.status(400)), first, keys.secrets()));
                Reply second = connection.next(Duration.ofSeconds(3));
                if (second != null && second.answered()) {
                    failures.add("a second response came (" + second.status() + "): the smuggled request was read");
                } else if (second != null) {
                    failures.add("the connection stayed open after the 400");
                }
            }
        } catch (IOException e) {
            failures.add("connection failed: " + e.getMessage());
            first = Reply.failed(e.getMessage(), 0);
        }
        Thread.sleep(500);
        Reply check = client.send("GET", "/v1/collections/" + name, keys.all(), null);
        if (check.status() != 404) {
            failures.add("the smuggled request ran: GET /v1/collections/" + name + " is " + check.status());
        }
        return new Outcome(CATEGORY, description, "POST /v1/embeddings (+ smuggled POST /v1/collections)", first.status(),
                first.excerpt(200), failures);
    }

    private interface Slow {
        void play(RawConnection connection) throws IOException;
    }

    /** An incomplete request, sent slowly: the server must close the connection within {@link #SLOW_CLOSE}. */
    private Outcome slow(String description, Slow play) {
        List<String> failures = new ArrayList<>();
        long age;
        try (RawConnection connection = new RawConnection(host, port)) {
            try {
                play.play(connection);
            } catch (IOException e) {
                // the server closed while we were still sending: what is measured below
            }
            long left = Math.max(0, SLOW_CLOSE.toMillis() - connection.age());
            boolean closed = connection.closedWithin(Duration.ofMillis(left));
            age = connection.age();
            if (!closed) {
                failures.add("still open after " + age / 1000 + " s");
            }
        } catch (IOException e) {
            failures.add("connection failed: " + e.getMessage());
            age = 0;
        }
        return new Outcome(CATEGORY, description, "raw socket", 0, failures.isEmpty() ? "closed after " + age + " ms" : "",
                failures);
    }

    /** Bytes that are no valid HTTP/1.1 request: a 4xx problem or a plain close, never a 5xx or a hang. */
    private List<Callable<Outcome>> garbage() {
        String h = "Host: " + host + "\r\n";
        String auth = "Authorization: Bearer " + keys.all() + "\r\n";
        Object[][] cases = {
                {"no request line", "\r\n\r\n", Expect.refusedOrClosed()},
                {"a garbage request line", "GARBAGE\r\n\r\n", Expect.refusedOrClosed()},
                {"a request line with extra words", "GET /v1/models HTTP/1.1 extra\r\n" + h + "\r\n", Expect.refusedOrClosed()},
                {"HTTP/9.9", "GET /v1/models HTTP/9.9\r\n" + h + auth + "\r\n", Expect.any().orClosed()},
                {"no Host header (HTTP/1.1)", "GET /health HTTP/1.1\r\n\r\n", Expect.status(400)},
                {"two Host headers", "GET /health HTTP/1.1\r\n" + h + "Host: other.example\r\n\r\n", Expect.status(400)},
                {"an absolute-form target on another host", "GET http://evil.example/v1/models HTTP/1.1\r\n" + h + auth + "\r\n", Expect.any().orClosed()},
                {"NUL in the request target", "GET /v1/mo\0dels HTTP/1.1\r\n" + h + auth + "\r\n", Expect.refusedOrClosed()},
                {"a space in the request target", "GET /v1/mo dels HTTP/1.1\r\n" + h + auth + "\r\n", Expect.refusedOrClosed()},
                {"a header without a colon", "GET /health HTTP/1.1\r\n" + h + "NoColonHere\r\n\r\n", Expect.refusedOrClosed()},
                {"a header name with a space", "GET /health HTTP/1.1\r\n" + h + "Bad Name: x\r\n\r\n", Expect.refusedOrClosed()},
                {"a space before the colon", "GET /health HTTP/1.1\r\n" + h + "Content-Length : 0\r\n\r\n", Expect.refusedOrClosed()},
                {"an obsolete folded header", "GET /v1/models HTTP/1.1\r\n" + h + auth + "X-Folded: a\r\n b\r\n\r\n", Expect.any().orClosed()},
                {"NUL in a header value", "GET /v1/models HTTP/1.1\r\n" + h + "Authorization: Bearer " + keys.all() + "\0\r\n\r\n", Expect.refusedOrClosed()},
                {"bare LF line ends", "GET /health HTTP/1.1\n" + h.replace("\r\n", "\n") + "\n", Expect.any().orClosed()},
                {"a lower-case method", "get /health HTTP/1.1\r\n" + h + "\r\n", Expect.any().orClosed()},
                {"a TLS ClientHello on the plain port", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003", Expect.refusedOrClosed()},
                {"a chunk size that overflows", "POST /v1/embeddings HTTP/1.1\r\n" + h + auth + "Content-Type: application/json\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\n{}\r\n0\r\n\r\n", Expect.refusedOrClosed()},
                {"a chunk size that is not hex", "POST /v1/embeddings HTTP/1.1\r\n" + h + auth + "Content-Type: application/json\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", Expect.refusedOrClosed()},
                {"a Content-Length with a plus sign", "POST /v1/embeddings HTTP/1.1\r\n" + h + auth + "Content-Type: application/json\r\n"
                        + "Content-Length: +16\r\n\r\n{\"input\":\"boot\"}", Expect.refusedOrClosed()},
                {"HTTP/1.0 without Host (control)", "GET /health HTTP/1.0\r\n\r\n", Expect.status(200)},
        };
        List<Callable<Outcome>> tasks = new ArrayList<>();
        for (Object[] c : cases) {
            tasks.add(() -> single((String) c[0], (String) c[1], (Expect) c[2]));
        }
        return tasks;
    }

    /** Sends these bytes on a fresh connection and judges the one answer (or the close). */
    private Outcome single(String description, String bytes, Expect expect) {
        Reply reply;
        try (RawConnection connection = new RawConnection(host, port)) {
            connection.send(bytes);
            reply = connection.next(Duration.ofSeconds(15));
            if (reply == null) {
                reply = Reply.closedWithoutAnswer(connection.age());
            }
        } catch (IOException e) {
            reply = Reply.failed("connection failed: " + e.getMessage(), 0);
        }
        List<String> failures = ReplyChecks.check(probe(description, bytes, expect), reply, keys.secrets());
        return new Outcome(CATEGORY, description, "raw bytes", reply.status(), reply.excerpt(200), failures);
    }

    /** Two requests pipelined on one connection both get their answers, in order (the control for the above). */
    private Outcome pipelined() {
        String h = "Host: " + host + "\r\n";
        List<String> failures = new ArrayList<>();
        int status = 0;
        try (RawConnection connection = new RawConnection(host, port)) {
            connection.send("GET /health HTTP/1.1\r\n" + h + "\r\nGET /v1/models HTTP/1.1\r\n" + h
                    + "Authorization: Bearer " + keys.all() + "\r\n\r\n");
            Reply first = connection.next(Duration.ofSeconds(10));
            Reply second = connection.next(Duration.ofSeconds(10));
            status = first == null ? 0 : first.status();
            if (first == null || first.status() != 200 || !first.text().contains("up")) {
                failures.add("first pipelined answer: " + (first == null ? "none" : first.status()));
            }
            if (second == null || second.status() != 200 || !second.text().contains("\"data\"")) {
                failures.add("second pipelined answer: " + (second == null ? "none" : second.status() + " " + second.excerpt(100)));
            }
        } catch (IOException e) {
            failures.add("connection failed: " + e.getMessage());
        }
        return new Outcome(CATEGORY, "two pipelined requests (control)", "GET /health + GET /v1/models", status, "", failures);
    }

    private static Probe probe(String description, String bytes, Expect expect) {
        return new Probe(CATEGORY, description, new Request("RAW", "", List.of(),
                bytes.getBytes(StandardCharsets.ISO_8859_1), true), expect);
    }
}
