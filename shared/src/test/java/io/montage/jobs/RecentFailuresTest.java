package io.montage.jobs;

import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard's recent failures: the latest failed items of every tenant, one row per job and error code. */
class RecentFailuresTest {

    private final JobQueue queue = SharedContext.bean(JobQueue.class);
    private final RecentFailures failures = SharedContext.bean(RecentFailures.class);

    @Test
    void failuresOfAnyKindShowNewestFirstGroupedByJobAndCode() {
        Tenant tenant = SharedContext.newTenant();
        String type = "test-" + UUID.randomUUID();
        // one task of 20 items: every fifth fails on its own, the rest succeed
        Job perItem = submit(tenant, type, List.of());
        ClaimedTask task = queue.claim(UUID.randomUUID(), List.of(type), 1).getFirst();
        List<ItemOutcome> outcomes = new ArrayList<>();
        for (TaskItem item : queue.items(task)) {
            outcomes.add(item.seq() % 5 == 0 ? ItemOutcome.failed(item.seq(), "image_unreadable", "item " + item.seq())
                    : ItemOutcome.succeeded(item.seq(), "{}"));
        }
        queue.complete(task, outcomes);
        // a task that no retry can fix: all its items fail with the task's code
        Job dead = submit(tenant, type, List.of());
        queue.fail(queue.claim(UUID.randomUUID(), List.of(type), 1).getFirst(), "unsupported_input",
                "that input is not supported", false);
        // items refused when the job was submitted fail at once
        Job refused = submit(tenant, "test-" + UUID.randomUUID(),
                List.of(NewItem.rejected("bad-1", "invalid_input", "no image"),
                        NewItem.rejected("bad-2", "invalid_input", "no image either")));

        List<RecentFailures.Failure> mine = failures.latest(50).stream()
                .filter(f -> List.of(perItem.id(), dead.id(), refused.id()).contains(f.jobId())).toList();

        assertEquals(List.of(refused.id(), dead.id(), perItem.id()),
                mine.stream().map(RecentFailures.Failure::jobId).toList(), "newest first, one row per job and code");
        RecentFailures.Failure rejected = mine.get(0);
        assertEquals(2, rejected.items());
        assertEquals("invalid_input", rejected.errorCode());
        assertTrue(rejected.message().startsWith("no image"), rejected.message());
        RecentFailures.Failure buried = mine.get(1);
        assertEquals(20, buried.items());
        assertEquals("unsupported_input", buried.errorCode());
        assertEquals("that input is not supported", buried.message());
        assertEquals(type, buried.type());
        assertEquals(tenant.slug(), buried.tenantSlug());
        assertEquals(tenant.id(), buried.tenantId());
        RecentFailures.Failure single = mine.get(2);
        assertEquals(4, single.items());
        assertEquals("image_unreadable", single.errorCode());
        assertTrue(!single.lastAt().isAfter(buried.lastAt()) && !buried.lastAt().isAfter(rejected.lastAt()));
    }

    @Test
    void theLimitKeepsTheNewestGroupsAndPlatformWorkHasNoTenant() {
        Tenant tenant = SharedContext.newTenant();
        List<UUID> jobs = IntStream.range(0, 3).mapToObj(i -> submit(tenant, "test-" + UUID.randomUUID(),
                List.of(NewItem.rejected("x", "invalid_input", "job " + i))).id()).toList();
        Job platform = SharedContext.bean(io.montage.db.Database.class).asSystem(c -> queue.enqueueForPlatform(c,
                new NewJob("test-" + UUID.randomUUID(), Priority.BULK, "{}",
                        List.of(NewItem.rejected("p", "bundle_unreadable", "no manifest")))));

        List<RecentFailures.Failure> latest = failures.latest(3);

        assertEquals(List.of(platform.id(), jobs.get(2), jobs.get(1)),
                latest.stream().map(RecentFailures.Failure::jobId).toList());
        assertNull(latest.getFirst().tenantId());
        assertNull(latest.getFirst().tenantSlug());
    }

    /** A job of the {@code rejected} items, or else of 20 pending ones: one task either way (100 items per task). */
    private Job submit(Tenant tenant, String type, List<NewItem> rejected) {
        List<NewItem> items = new ArrayList<>(rejected);
        if (rejected.isEmpty()) {
            IntStream.range(0, 20).mapToObj(i -> new NewItem("c" + i, "{\"n\":" + i + "}")).forEach(items::add);
        }
        return queue.submit(tenant.id(), new NewJob(type, Priority.BULK, "{}", items));
    }
}
