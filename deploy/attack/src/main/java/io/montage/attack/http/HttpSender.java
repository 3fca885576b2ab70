package io.montage.attack.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends requests to the api and waits at most the per-request deadline for the whole response: java.net.http
 * for ordinary requests, a plain socket for what that client refuses (restricted headers, invalid URIs).
 * A 429, or a 503 with Retry-After (admission control, a full queue), is waited out and sent again a few times:
 * such an answer says "not now", not what the server thinks of the request, which is what a probe asks.
 */
public final class HttpSender {

    /** Headers the JDK client will not send as given. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");
    private static final int MAX_RETRIES = 8;
    private static final long MAX_RETRY_WAIT_SECONDS = 10;

    private final String host;
    private final int port;
    private final Duration deadline;
    private final HttpClient client;
    private final AtomicInteger retries = new AtomicInteger();

    public HttpSender(String host, int port, Duration deadline) {
        this.host = host;
        this.port = port;
        this.deadline = deadline;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public Duration deadline() {
        return deadline;
    }

    /** How many times a "not now" answer was waited out. */
    public int retries() {
        return retries.get();
    }

    public Reply send(Request request) {
        Reply reply = sendOnce(request);
        for (int attempt = 0; attempt < MAX_RETRIES && notNow(reply); attempt++) {
            retries.incrementAndGet();
            long wait = reply.header("Retry-After").map(HttpSender::seconds).orElse(1L);
            try {
                Thread.sleep(Duration.ofSeconds(Math.min(Math.max(wait, 1), MAX_RETRY_WAIT_SECONDS)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return reply;
            }
            reply = once(request);
        }
        return reply;
    }

    /** The request without waiting out a "not now" answer: for callers to whom a 429 or 503 is the finding. */
    public Reply sendOnce(Request request) {
        Reply reply = once(request);
        if (reply.failure() != null && reply.failure().contains("received no bytes")) {
            reply = once(request); // a pooled connection the server had closed: any client sends again
        }
        return reply;
    }

    private static boolean notNow(Reply reply) {
        return reply.status() == 429 || (reply.status() == 503 && reply.header("Retry-After").isPresent());
    }

    private static long seconds(String retryAfter) {
        try {
            return Long.parseLong(retryAfter.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private Reply once(Request request) {
        URI uri = request.raw() ? null : uri(request.target());
        if (uri == null || request.headers().stream().anyMatch(h -> RESTRICTED.contains(h.name().toLowerCase(Locale.ROOT)))) {
            return raw(request);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(deadline)
                .method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(h -> builder.header(h.name(), h.value()));
        long start = System.nanoTime();
        var future = client.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        try {
            HttpResponse<byte[]> response = future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            return new Reply(response.statusCode(), response.headers().map(), response.body(), millis(start), null, false);
        } catch (TimeoutException e) {
            future.cancel(true);
            return Reply.failed("no complete response within " + deadline.toSeconds() + " s", millis(start));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String what = cause instanceof java.net.http.HttpTimeoutException
                    ? "no response within " + deadline.toSeconds() + " s" : "connection failed: " + cause;
            return Reply.failed(what, millis(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.failed("interrupted", millis(start));
        }
    }

    private URI uri(String target) {
        try {
            return URI.create("http://" + host + ":" + port + target);
        } catch (IllegalArgumentException e) {
            return null; // invalid percent-encoding and the like: only a raw socket sends it
        }
    }

    /** The request over a fresh socket, with Connection: close, so the response ends with the connection. */
    private Reply raw(Request request) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        StringBuilder lines = new StringBuilder(request.method()).append(' ').append(request.target())
                .append(" HTTP/1.1\r\n");
        boolean hasHost = false;
        boolean hasLength = false;
        for (Header h : request.headers()) {
            lines.append(h.name()).append(": ").append(h.value()).append("\r\n");
            hasHost |= h.name().equalsIgnoreCase("host");
            hasLength |= h.name().equalsIgnoreCase("content-length") || h.name().equalsIgnoreCase("transfer-encoding");
        }
        if (!hasHost) {
            lines.append("Host: ").append(host).append(':').append(port).append("\r\n");
        }
        if (!hasLength && request.body() != null) {
            lines.append("Content-Length: ").append(request.body().length).append("\r\n");
        }
        lines.append("Connection: close\r\n\r\n");
        head.writeBytes(lines.toString().getBytes(StandardCharsets.UTF_8));
        long start = System.nanoTime();
        try (RawConnection connection = new RawConnection(host, port)) {
            connection.send(head.toByteArray());
            boolean expectContinue = request.headers().stream().anyMatch(h -> h.name().equalsIgnoreCase("expect"));
            if (request.body() != null && !expectContinue) {
                sendBody(connection, request.body());
            }
            Reply reply = connection.next(deadline, request.method().equals("HEAD"));
            if (reply != null && reply.status() == 100 && request.body() != null && expectContinue) {
                sendBody(connection, request.body());
                reply = connection.next(deadline, request.method().equals("HEAD"));
            }
            return reply == null ? Reply.closedWithoutAnswer(millis(start)) : reply;
        } catch (IOException e) {
            return Reply.failed("connection failed: " + e.getMessage(), millis(start));
        }
    }

    /**
     * Sends the body from another thread while this one waits for the answer: a server may answer (413) before
     * the body is all sent and stop reading, which would block a write here forever. Closing the connection ends
     * the writer.
     */
    private static void sendBody(RawConnection connection, byte[] body) {
        Thread.ofVirtual().start(() -> {
            try {
                connection.send(body);
            } catch (IOException e) {
                // the response, if any, says why
            }
        });
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
