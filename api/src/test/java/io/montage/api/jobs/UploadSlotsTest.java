package io.montage.api.jobs;

import io.micronaut.runtime.server.EmbeddedServer;
import io.montage.api.ApiServer;
import io.montage.api.http.RawHttp;
import io.montage.apikeys.Scope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;

import static io.montage.api.ProblemAssertions.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Upload slots, against an api that reads 2 uploads at once, 1 per tenant: an upload over its tenant's slots is
 * 429 {@code too_many_uploads}, over the node's 503 {@code uploads_busy}, both with Retry-After and before the
 * client is asked for its body (no {@code 100 Continue}); a slot is free again once its upload ends, however it
 * ends.
 */
class UploadSlotsTest {

    private static final String LINE = "{\"input\":1}\n";
    private static EmbeddedServer server;

    @BeforeAll
    static void anApiWithTwoUploadSlots() {
        server = ApiServer.startAnother(Map.of("montage.jobs.max-concurrent-uploads", 2,
                "montage.jobs.max-concurrent-uploads-per-tenant", 1, "montage.jobs.upload-retry-after", "3s",
                "montage.http.body-stall-timeout", "60s"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String newKey() {
        return ApiServer.newCaller(EnumSet.allOf(Scope.class)).key();
    }

    private static String uploadHead(String key, String... headers) {
        String[] all = new String[headers.length + 1];
        all[0] = "Content-Type: application/x-ndjson";
        System.arraycopy(headers, 0, all, 1, headers.length);
        return RawHttp.head("POST /v1/jobs?type=echo", key, all);
    }

    private static String chunk(String text) {
        return Integer.toHexString(text.length()) + "\r\n" + text + "\r\n";
    }

    /**
     * An upload that has begun streaming in (chunked, one line sent): it holds its slot until finished or closed.
     * Asked for its body (100 Continue), it has its slot.
     */
    private static RawHttp heldUpload(String key) {
        RawHttp http = new RawHttp(server.getPort());
        http.send(uploadHead(key, "Transfer-Encoding: chunked", "Expect: 100-continue"));
        assertEquals(100, http.read().status(), "the upload was not admitted");
        return http.send(chunk(LINE));
    }

    /** The first answer to an upload that waits for 100 Continue before it sends its body. */
    private static RawHttp.Response firstAnswer(String key) {
        try (RawHttp http = new RawHttp(server.getPort())) {
            return http.send(uploadHead(key, "Content-Length: " + LINE.length(), "Expect: 100-continue")).read();
        }
    }

    private static void assertRefused(RawHttp.Response answer, int status, String code) {
        assertProblem(answer.asApiResponse(), status, code);
        assertEquals("3", answer.headers().get("retry-after"), answer.headers().toString());
    }

    /** A whole upload of one line, sent at once. */
    private static int upload(String key) {
        try (RawHttp http = new RawHttp(server.getPort())) {
            return http.send(uploadHead(key, "Content-Length: " + LINE.length()) + LINE).read().status();
        }
    }

    @Test
    void anUploadOverItsTenantsSlotsIs429AtOnce() {
        String key = newKey();
        try (RawHttp held = heldUpload(key)) {
            assertRefused(firstAnswer(key), 429, "too_many_uploads");
            assertEquals(201, held.send("0\r\n\r\n").read().status(), "the held upload itself goes on");
        }
        assertEquals(201, upload(key), "the slot is free once the upload is done");
    }

    @Test
    void anUploadOverTheNodesSlotsIs503AtOnce() {
        try (RawHttp first = heldUpload(newKey()); RawHttp second = heldUpload(newKey())) {
            assertRefused(firstAnswer(newKey()), 503, "uploads_busy");
        }
    }

    @Test
    void aSlotIsFreedWhenItsUploadBreaksOff() throws InterruptedException {
        String key = newKey();
        RawHttp broken = heldUpload(key);
        assertEquals(429, firstAnswer(key).status());
        broken.close(); // the connection ends mid-body
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int status = upload(key);
        while (status == 429 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            status = upload(key);
        }
        assertEquals(201, status, "the slot of an upload that broke off stays taken");
    }
}
