package io.montage.api.jobs;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.montage.api.ApiServer;
import io.montage.api.http.RawHttp;
import io.montage.apikeys.Scope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A client that hangs up in the middle of its upload is the client's doing, not a server fault (issue 14): the api
 * logs nothing at WARN or above for it, gives its upload slot back and creates nothing.
 */
class AbortedUploadTest {

    private static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==");

    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void listen() {
        events.start();
        root.addAppender(events);
    }

    @AfterEach
    void stopListening() {
        root.detachAppender(events);
    }

    private static String line(int i) {
        return "{\"custom_id\":\"c" + i + "\",\"input\":{\"n\":" + i + "}}\n";
    }

    @Test
    void aJsonlUploadCutOffMidBodyIsNoErrorAndLeavesNoJob() throws InterruptedException {
        ApiServer.Caller caller = ApiServer.newCaller(EnumSet.allOf(Scope.class));
        StringBuilder sent = new StringBuilder();
        for (int i = 0; sent.length() < 200_000; i++) {
            sent.append(line(i));
        }
        cutOff(RawHttp.head("POST /v1/jobs?type=echo", caller.key(), "Content-Type: application/x-ndjson",
                "Content-Length: 10000000") + sent); // 200 kB of the 10 MB it announced

        assertQuietAndNothingCreated(caller);
    }

    @Test
    void aZipUploadCutOffMidBodyIsNoErrorAndLeavesNoJob() throws Exception {
        ApiServer.Caller caller = ApiServer.newCaller(EnumSet.allOf(Scope.class));
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            for (int i = 0; i < 2000; i++) {
                out.putNextEntry(new ZipEntry("img" + i + ".png"));
                out.write(PNG);
                out.closeEntry();
            }
        }
        byte[] bytes = zip.toByteArray();
        cutOff(RawHttp.head("POST /v1/jobs?type=embed", caller.key(), "Content-Type: application/zip",
                "Content-Length: " + bytes.length) + new String(bytes, 0, bytes.length / 2, StandardCharsets.ISO_8859_1));

        assertQuietAndNothingCreated(caller);
    }

    /** Sends {@code partial}, lets the api read it, then dies: a reset, as the kernel sends for a killed client. */
    private static void cutOff(String partial) throws InterruptedException {
        RawHttp http = new RawHttp(ApiServer.get().getPort());
        http.send(partial);
        Thread.sleep(300);
        http.reset();
    }

    /**
     * Once the api is done with the broken upload (the tenant's upload slot is free again: a whole upload is
     * taken), nothing was logged at WARN or above and the broken upload left no job behind.
     */
    private void assertQuietAndNothingCreated(ApiServer.Caller caller) throws InterruptedException {
        String whole = RawHttp.head("POST /v1/jobs?type=echo", caller.key(), "Content-Type: application/x-ndjson",
                "Content-Length: " + line(0).length()) + line(0);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int status;
        do {
            try (RawHttp http = new RawHttp(ApiServer.get().getPort())) {
                status = http.send(whole).read().status();
            }
            if (status != 201) {
                Thread.sleep(100);
            }
        } while (status != 201 && System.nanoTime() < deadline);
        assertEquals(201, status, "the broken upload's slot was never given back");
        List<String> loud = events.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
        assertEquals(List.of(), loud, "a client that hangs up is not a server fault");
        assertEquals(1, ApiServer.send("GET", "/v1/jobs", caller.key(), null).json().get("data").size(),
                "only the whole upload made a job");
    }
}
