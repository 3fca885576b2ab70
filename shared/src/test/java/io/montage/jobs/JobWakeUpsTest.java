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
 * bulk job, which has no waiter (a notifying commit holds PostgreSQL's notification lock through its WAL flush). And
 * what the workers are told when tasks are queued, on {@link QueueChannels#TASKS}.
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
            awaitListening(database, QueueChannels.JOBS, marker, woken);
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

    @Test
    void anEnqueueTellsTheWorkersItsJobsPriorityModelAndType() throws Exception {
        Database database = SharedContext.bean(Database.class);
        Tenant tenant = SharedContext.newTenant();
        JobIntake intake = new JobIntake(database, new QueueConfig(10, 3, Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofDays(7), 3));
        String type = "test-" + UUID.randomUUID();
        String marker = UUID.randomUUID().toString();
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        try (AutoCloseable listening = SharedContext.bean(Notifications.class).subscribe(QueueChannels.TASKS,
                payload -> {
                    if (payload != null && (payload.equals(marker) || payload.endsWith(type))) {
                        heard.add(payload);
                    }
                })) {
            awaitListening(database, QueueChannels.TASKS, marker, heard);
            heard.clear();
            intake.submit(tenant.id(), new NewJob(type, Priority.INTERACTIVE, "{}", List.of(new NewItem("i", "{}"))));
            intake.submit(tenant.id(), new NewJob(type, Priority.BULK, "{}", List.of(new NewItem("b", "{}"))));

            assertEquals(new TaskAnnouncement(Priority.INTERACTIVE, null, type),
                    TaskAnnouncement.parse(heard.poll(10, TimeUnit.SECONDS)));
            assertEquals(new TaskAnnouncement(Priority.BULK, null, type),
                    TaskAnnouncement.parse(heard.poll(10, TimeUnit.SECONDS)));
        }
    }

    /** The listener's LISTEN goes out on its own thread: sends {@code marker} until it comes back. */
    private static void awaitListening(Database database, String channel, String marker,
                                       BlockingQueue<String> woken) throws InterruptedException {
        for (int tries = 0; tries < 20; tries++) {
            database.asSystem(c -> {
                QueueChannels.notify(c, channel, marker);
                return null;
            });
            if (marker.equals(woken.poll(1, TimeUnit.SECONDS))) {
                return;
            }
        }
        throw new AssertionError("the listener never heard the marker");
    }
}
