package io.montage.jobs;

import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The operators' list of every tenant's jobs: newest first across tenants, paged by key. */
class JobsAcrossTenantsTest {

    private final Jobs jobs = SharedContext.bean(Jobs.class);
    private final JobIntake queue = SharedContext.bean(JobIntake.class);

    @Test
    void theNewestJobsOfAllTenantsComeNewestFirstAPageAtATime() {
        Tenant a = SharedContext.newTenant();
        Tenant b = SharedContext.newTenant();
        List<UUID> submitted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            for (Tenant tenant : List.of(a, b)) {
                submitted.addFirst(queue.submit(tenant.id(),
                        new NewJob("echo", Priority.BULK, "{}", List.of(new NewItem(null, "1")))).id());
            }
        }
        List<UUID> mine = new ArrayList<>();
        List<UUID> tenantsOfMine = new ArrayList<>();
        List<Job> page = jobs.listAllTenants(null, 4);
        assertEquals(4, page.size());
        // other tests' jobs may be newer still: this test's six are somewhere in the newest pages
        while (mine.size() < submitted.size()) {
            assertFalse(page.isEmpty(), "found only " + mine);
            Instant previous = Instant.MAX;
            for (Job job : page) {
                assertFalse(job.createdAt().isAfter(previous), "newest first");
                previous = job.createdAt();
                if (submitted.contains(job.id())) {
                    mine.add(job.id());
                    tenantsOfMine.add(job.tenantId());
                }
            }
            page = jobs.listAllTenants(page.getLast().id(), 4);
        }
        assertEquals(submitted, mine, "all of them, newest first, page after page");
        assertEquals(List.of(b.id(), a.id(), b.id(), a.id(), b.id(), a.id()), tenantsOfMine, "each with its tenant");
    }
}
