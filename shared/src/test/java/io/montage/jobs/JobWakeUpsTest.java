package io.montage.jobs;

import io.montage.db.Database;
import io.montage.notify.Notifications;
import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Who is woken when a task finishes: the waiters of an interactive job, on {@link QueueChannels#JOBS}; nobody for a
 * bulk job, which has no waiter (a notifying commit holds PostgreSQL's notification lock through its WAL flush).
 */
class JobWakeUpsTest {

    @Test
    void onlyAnInteractiveJobsCompletionNotifies() throws Exception {
        Database database = SharedContext.bean(Database.class);
        Tenant tenant = SharedContext.newTenant();
        QueueConfig config = new QueueConfig(10, 3, Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofMinutes(5), Duration.ofDays(7), 3);
        JobIntake intake = new JobIntake(database, config);
        TaskLeases leases = new TaskLeases(database, config, new RetryPolicy(config));
        String type = "test-" + UUID.randomUUID();
        Job bulk = intake.submit(tenant.id(), new NewJob(type, Priority.BULK, "{}", List.of(new NewItem("b", "{}"))));
        Job interactive = intake.submit(tenant.id(), new NewJob(type, Priority.INTERACTIVE, "{}",
                List.of(new NewItem("i", "{}"))));
        String marker = UUID.randomUUID().toString();
        List<String> ours = List.of(marker, bulk.id().toString(), interactive.id().toString());
        BlockingQueue<String> woken = new LinkedBlockingQueue<>();
        try (AutoCloseable listening = SharedContext.bean(Notifications.class).subscribe(QueueChannels.JOBS,
                payload -> {
                    if (ours.contains(payload)) {
                        woken.add(payload);
                    }
                })) {
            awaitListening(database, marker, woken);
            // interactive first in the claim, bulk first to finish: notifications come in commit order, so the
            // bulk job's would arrive before the interactive one's
            List<ClaimedTask> claimed = leases.claim(UUID.randomUUID(), List.of(type), 2);
            for (ClaimedTask task : claimed.reversed()) {
                leases.complete(task, List.of(ItemOutcome.succeeded(0, "{}")));
            }
            List<String> heard = new ArrayList<>();
            String payload;
            do {
                payload = woken.poll(10, TimeUnit.SECONDS);
                heard.add(payload);
            } while (payload != null && !payload.equals(interactive.id().toString()));
            heard.removeIf(marker::equals); // a late repeat of the marker
            assertEquals(List.of(interactive.id().toString()), heard);
        }
    }

    /** The listener's LISTEN goes out on its own thread: sends {@code marker} until it comes back. */
    private static void awaitListening(Database database, String marker, BlockingQueue<String> woken)
            throws InterruptedException {
        for (int tries = 0; tries < 20; tries++) {
            database.asSystem(c -> {
                QueueChannels.notify(c, QueueChannels.JOBS, marker);
                return null;
            });
            if (marker.equals(woken.poll(1, TimeUnit.SECONDS))) {
                return;
            }
        }
        throw new AssertionError("the listener never heard the marker");
    }
}
