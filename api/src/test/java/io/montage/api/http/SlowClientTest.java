package io.montage.api.http;

import io.micronaut.runtime.server.EmbeddedServer;
import io.montage.api.ApiServer;
import io.montage.apikeys.Scope;
import io.montage.models.Model;
import io.montage.workers.WorkerRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.montage.api.http.EdgeAssertions.assertCleanProblem;
import static io.montage.api.http.EdgeAssertions.assertRefusedAndClosed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slow clients, against an api whose head and body-stall timeouts are 1 s (10 s by default), whose idle timeout is
 * 4 s (75 s) and whose synchronous inference waits 3 s: a head or a body that drips is cut with 408, a connection
 * that sends no request is closed; a client waiting for a slow answer, one sending a body slowly but steadily, or
 * one idle between requests for less than the idle timeout is not.
 */
class SlowClientTest {

    private static EmbeddedServer server;
    private final ApiServer.Caller caller = ApiServer.newCaller(EnumSet.allOf(Scope.class));

    @BeforeAll
    static void anApiWithShortTimeouts() {
        server = ApiServer.startAnother(Map.of("montage.http.request-head-timeout", "1s",
                "montage.http.body-stall-timeout", "1s", "montage.http.idle-timeout", "4s",
                "montage.inference-api.timeout", "3s"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private RawHttp connect() {
        return new RawHttp(server.getPort());
    }

    private String head(String requestLine, String... headers) {
        return RawHttp.head(requestLine, caller.key(), headers);
    }

    /** Sends one byte of the text at a time, 200 ms apart, until all is sent or the server has answered. */
    private static void trickle(RawHttp http, String text) throws InterruptedException {
        for (int i = 0; i < text.length() && !http.answered(); i++) {
            if (!http.trySend(new byte[]{(byte) text.charAt(i)})) {
                return;
            }
            Thread.sleep(200);
        }
    }

    @Test
    void theDefaultsAreTenSeconds() {
        HttpEdgeLimits defaults = ApiServer.bean(HttpEdgeLimits.class);
        assertEquals(Duration.ofSeconds(10), defaults.requestHeadTimeout());
        assertEquals(Duration.ofSeconds(10), defaults.bodyStallTimeout());
        assertEquals(Duration.ofSeconds(75), defaults.idleTimeout());
    }

    @Test
    void aConnectionThatSendsNothingIsClosedWithoutAnAnswerAfterTheHeadTimeout() {
        try (RawHttp http = connect()) {
            long opened = System.nanoTime();
            assertTrue(http.closedByServer(), "the server answered a connection that sent nothing");
            assertBetween(Duration.ofMillis(900), Duration.ofSeconds(4), opened);
        }
    }

    @Test
    void lineBreaksAloneStartNoRequestAndDoNotKeepTheConnection() throws InterruptedException {
        try (RawHttp http = connect()) {
            long opened = System.nanoTime();
            for (int i = 0; i < 3 && http.trySend("\r\n".getBytes(StandardCharsets.US_ASCII)); i++) {
                Thread.sleep(300);
            }
            assertTrue(http.closedByServer(), "the server answered line breaks");
            assertBetween(Duration.ofMillis(900), Duration.ofSeconds(4), opened);
        }
    }

    @Test
    void theFirstHeadIsDueWithinTheHeadTimeoutOfTheConnection() throws InterruptedException {
        try (RawHttp http = connect()) {
            Thread.sleep(700);
            http.send("GET /v1/jobs HTTP/1.1\r\n"); // 0.7 s after the accept: 0.3 s left for the rest
            long sent = System.nanoTime();
            assertRefusedAndClosed(http, 408, "request_timeout");
            assertBetween(Duration.ZERO, Duration.ofMillis(900), sent);
        }
    }

    @Test
    void aKeepAliveConnectionIdleForTheIdleTimeoutIsClosedWithoutAnAnswer() {
        try (RawHttp http = connect()) {
            http.send(head("GET /v1/jobs?limit=1"));
            assertEquals(200, http.read().status());
            long answered = System.nanoTime();
            assertTrue(http.closedByServer(), "the server said something to an idle connection");
            assertBetween(Duration.ofMillis(3_900), Duration.ofSeconds(8), answered);
        }
    }

    /** The time since {@code since} (System.nanoTime) lies between the two. */
    private static void assertBetween(Duration atLeast, Duration atMost, long since) {
        Duration took = Duration.ofNanos(System.nanoTime() - since);
        assertTrue(took.compareTo(atLeast) >= 0 && took.compareTo(atMost) <= 0,
                "took " + took.toMillis() + " ms, expected " + atLeast.toMillis() + "-" + atMost.toMillis() + " ms");
    }

    @Test
    void aHeadThatTricklesInIsCutThoughEveryByteComesSoonAfterTheLast() throws InterruptedException {
        try (RawHttp http = connect()) {
            http.send("GET /v1/jobs HTTP/1.1\r\n");
            trickle(http, "Host: api\r\nX-Padding: " + "a".repeat(40) + "\r\n\r\n");
            assertTrue(http.answered(), "the whole head trickled in: the server never cut it");
            assertRefusedAndClosed(http, 408, "request_timeout");
        }
    }

    @Test
    void aHeadThatStopsHalfwayIsCut() {
        try (RawHttp http = connect()) {
            http.send("POST /v1/jobs HTTP/1.1\r\nHost: api\r\nContent-Ty");
            assertRefusedAndClosed(http, 408, "request_timeout");
        }
    }

    @Test
    void aBodyThatStallsIsCutAndNothingOfItIsKept() {
        try (RawHttp http = connect()) {
            http.send(head("POST /v1/jobs?type=echo", "Content-Type: application/x-ndjson", "Content-Length: 1000")
                    + "{\"input\":1}\n{\"in");
            var problem = assertRefusedAndClosed(http, 408, "request_timeout");
            assertTrue(problem.get("detail").getStringValue().contains("stalled"), problem.toString());
        }
        assertEquals(0, ApiServer.send("GET", "/v1/jobs", caller.key(), null).json().get("data").size());
    }

    @Test
    void aSlowButSteadyUploadIsNotCut() throws InterruptedException {
        try (RawHttp http = connect()) {
            http.send(head("POST /v1/jobs?type=echo", "Content-Type: application/x-ndjson",
                    "Transfer-Encoding: chunked"));
            for (int i = 0; i < 12; i++) { // 12 × 300 ms: far past both timeouts, never 1 s without a byte
                String line = "{\"input\":" + i + "}\n";
                http.send(Integer.toHexString(line.length()) + "\r\n" + line + "\r\n");
                Thread.sleep(300);
            }
            http.send("0\r\n\r\n");
            RawHttp.Response created = http.read();
            assertEquals(201, created.status(), created.body());
            assertTrue(created.body().contains("\"total\":12"), created.body());
        }
    }

    @Test
    void aClientWaitingLongerThanTheTimeoutsForItsAnswerIsNotCut() throws Exception {
        Model model = ApiServer.readyModel("slow");
        UUID stuck = UUID.randomUUID(); // claims to serve the model but never answers: the api waits 3 s
        WorkerRegistry workers = ApiServer.bean(WorkerRegistry.class);
        workers.register(stuck, "stuck-host", 1, List.of("embed", "model:" + model.id()));
        try (RawHttp http = connect()) {
            String body = "{\"model\":\"" + model.reference() + "\",\"input\":\"hello\"}";
            http.send(head("POST /v1/embeddings", "Content-Type: application/json",
                    "Content-Length: " + body.length()) + body);
            assertCleanProblem(http.read(), 504, "inference_timeout");
            http.send(head("GET /v1/jobs?limit=1"));
            assertEquals(200, http.read().status(), "the connection outlived the wait");
        } finally {
            workers.stopped(stuck);
        }
    }

    @Test
    void anIdleConnectionBetweenRequestsIsNotCut() throws InterruptedException {
        try (RawHttp http = connect()) {
            http.send(head("GET /v1/jobs?limit=1"));
            assertEquals(200, http.read().status());
            Thread.sleep(2_500);
            assertFalse(http.answered(), "the server said something to an idle connection");
            http.send(head("GET /v1/jobs?limit=1"));
            assertEquals(200, http.read().status());
        }
    }
}
