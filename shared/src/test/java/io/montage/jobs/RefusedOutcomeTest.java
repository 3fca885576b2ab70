package io.montage.jobs;

import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** One outcome the database refuses fails its own item only; the task's other outcomes are stored. */
class RefusedOutcomeTest {

    @Test
    void anOutcomeHoldingANulCharacterFailsAloneWithAPreciseCode() {
        JobIntake queue = SharedContext.bean(JobIntake.class);
        TaskLeases leases = SharedContext.bean(TaskLeases.class);
        Jobs jobs = SharedContext.bean(Jobs.class);
        Tenant tenant = SharedContext.newTenant();
        String type = "test-" + UUID.randomUUID();
        Job job = queue.submit(tenant.id(), new NewJob(type, Priority.BULK, "{}", IntStream.range(0, 100)
                .mapToObj(i -> new NewItem("c" + i, "{\"n\":" + i + "}")).toList()));
        ClaimedTask task = leases.claim(UUID.randomUUID(), List.of(type), 1).getFirst();
        List<ItemOutcome> outcomes = new ArrayList<>();
        for (TaskItem item : leases.items(task)) {
            outcomes.add(item.seq() == 42
                    ? ItemOutcome.failed(item.seq(), "echo_failed", "quoting the input: a\u0000b") // text cannot hold NUL
                    : ItemOutcome.succeeded(item.seq(), "{\"n\":" + item.seq() + "}"));
        }

        leases.complete(task, outcomes);

        Job done = jobs.get(tenant.id(), job.id());
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals(99, done.succeededItems());
        assertEquals(1, done.failedItems());
        JobItem refused = jobs.items(tenant.id(), job.id(), "failed", -1, 10).getFirst();
        assertEquals(42, refused.seq());
        assertEquals("nul_character", refused.errorCode());
        assertFalse(refused.errorMessage().contains("UTF8") || refused.errorMessage().contains("0x00"),
                "no database message: " + refused.errorMessage());
        assertEquals("{\"n\":41}", jobs.items(tenant.id(), job.id(), null, 40, 1).getFirst().resultJson());
    }
}
