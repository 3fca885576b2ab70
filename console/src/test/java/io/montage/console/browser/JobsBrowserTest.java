package io.montage.console.browser;

import io.montage.audit.AuditEntry;
import io.montage.audit.AuditFilter;
import io.montage.audit.AuditLog;
import io.montage.jobs.Job;
import io.montage.jobs.JobQueue;
import io.montage.jobs.JobStatus;
import io.montage.jobs.Jobs;
import io.montage.jobs.NewItem;
import io.montage.jobs.NewJob;
import io.montage.jobs.Priority;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cancelling a queued job from the jobs view. Following a job's progress to 100 %, its errors and its results with a
 * real worker is the whole-flow test's (deploy/e2e); here no worker runs, so the job is still waiting when cancelled.
 */
class JobsBrowserTest extends AdminBrowserTest {

    private static final int ITEMS = 250;

    @Test
    void cancellingAJobStopsItAndIsAudited() {
        Tenant tenant = tenant("cancel");
        Job job = submitEcho(tenant);
        browser.open("jobs?tenant=" + tenant.slug());
        browser.click("inspect-" + job.id());
        browser.awaitText("job-title", job.id().toString());
        browser.click("cancel-job");
        browser.awaitNotification("is cancelled");
        // "0 cancelled" is in the counts from the start: wait for the items the cancel closed
        browser.awaitText("jobs", "250 cancelled");
        assertEquals(JobStatus.CANCELLED, Console.bean(Jobs.class).get(tenant.id(), job.id()).status());
        AuditEntry entry = Console.bean(AuditLog.class).search(new AuditFilter(null, "job.cancel", null, job.id().toString()))
                .getFirst();
        assertEquals(AuditEntry.OK, entry.outcome());
        assertEquals("job " + job.id() + " of tenant " + tenant.slug(), entry.target());
    }

    @Test
    void aTenantsJobsComeFiftyAPageAndAllTenantsJobsTogether() {
        Tenant busy = tenant("busy"); // one job more than a page holds
        JobQueue queue = Console.bean(JobQueue.class);
        List<Job> submitted = IntStream.range(0, 51).mapToObj(i -> queue.submit(busy.id(),
                new NewJob("echo", Priority.BULK, "{}", List.of(new NewItem(null, "1"))))).toList();
        Tenant quiet = tenant("quiet");
        Job quietJob = queue.submit(quiet.id(), new NewJob("echo", Priority.BULK, "{}", List.of(new NewItem(null, "1"))));

        browser.open("jobs?tenant=" + busy.slug());
        browser.find("inspect-" + submitted.getLast().id());
        assertFalse(browser.present("inspect-" + submitted.getFirst().id()), "the oldest is on the next page");
        browser.click("jobs-older");
        browser.find("inspect-" + submitted.getFirst().id());
        assertFalse(browser.present("inspect-" + submitted.getLast().id()));
        browser.click("jobs-newest");
        browser.find("inspect-" + submitted.getLast().id());

        browser.clear("jobs-tenant");
        String all = browser.awaitText("jobs", quiet.slug());
        assertTrue(all.contains(busy.slug()), "every tenant's jobs, each with its tenant: " + all);
        assertEquals("true", browser.find("jobs-status").getDomProperty("disabled"), "no status filter across tenants");
        // the live table rewrites its rows each refresh: a click on a row just replaced is lost, so click again
        browser.waitFor().until(d -> {
            browser.click("inspect-" + quietJob.id());
            return d.findElements(By.id("job-title")).stream()
                    .anyMatch(title -> title.getText().contains("tenant " + quiet.slug()));
        });
    }

    private static Tenant tenant(String prefix) {
        return Console.bean(TenantService.class).create(prefix + "-" + UUID.randomUUID().toString().substring(0, 6),
                "Jobs tenant");
    }

    private static Job submitEcho(Tenant tenant) {
        List<NewItem> items = IntStream.range(0, ITEMS).mapToObj(i -> new NewItem("i" + i, "{\"n\": " + i + "}")).toList();
        return Console.bean(JobQueue.class).submit(tenant.id(), new NewJob("echo", Priority.BULK, "{}", items));
    }
}
