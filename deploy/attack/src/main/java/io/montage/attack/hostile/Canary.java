package io.montage.attack.hostile;

import io.montage.attack.Keys;
import io.montage.attack.http.HttpSender;
import io.montage.attack.http.Reply;
import io.montage.attack.probe.ProbeBuilder;
import io.montage.attack.report.Outcome;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * While the heavy probes run (bombs, costly requests, huge zips, all tenant A's), tenant B embeds one short text
 * every two seconds: each must succeed within {@link #PROMPT}, at the first try (a 429 or 503 to B is the finding, so
 * it is not waited out). One outcome for the whole phase: a platform that one tenant's hostile requests stall for
 * everyone fails it.
 */
final class Canary {

    /** Far above an idle embedding (milliseconds), far below a stall. */
    static final Duration PROMPT = Duration.ofSeconds(5);

    private final HttpSender sender;
    private final Keys keys;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Reply> replies = new ArrayList<>();
    private final Thread thread;

    Canary(HttpSender sender, Keys keys) {
        this.sender = sender;
        this.keys = keys;
        this.thread = Thread.ofVirtual().start(this::loop);
    }

    private void loop() {
        var request = ProbeBuilder.probe("canary", "B embeds a text").key(keys.tenantB()).post(Catalogue.EMBEDDINGS)
                .json("{\"input\":\"canary\"}").request();
        while (running.get()) {
            Reply reply = sender.sendOnce(request);
            synchronized (replies) {
                replies.add(reply);
            }
            try {
                Thread.sleep(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops and judges: every canary request answered 200 within {@link #PROMPT}. */
    Outcome stop() throws InterruptedException {
        running.set(false);
        thread.join();
        List<String> failures = new ArrayList<>();
        long slowest = 0;
        List<String> late = new ArrayList<>();
        synchronized (replies) {
            for (Reply reply : replies) {
                slowest = Math.max(slowest, reply.millis());
                if (reply.status() != 200 || reply.millis() > PROMPT.toMillis()) {
                    late.add(reply.statusOrFailure() + " after " + reply.millis() + " ms");
                }
            }
            if (!late.isEmpty()) {
                failures.add(late.size() + " of " + replies.size() + " of tenant B's embeddings failed or took over "
                        + PROMPT.toSeconds() + " s while tenant A's heavy requests ran: " + String.join("; ", late));
            }
            return new Outcome("canary", "tenant B is served while tenant A's heavy requests run",
                    "POST /v1/embeddings every 2 s", replies.isEmpty() ? 0 : replies.getLast().status(),
                    replies.size() + " requests, slowest " + slowest + " ms", failures);
        }
    }
}
