package io.montage.console.browser;

import io.montage.audit.AuditEntry;
import io.montage.audit.AuditFilter;
import io.montage.audit.AuditLog;
import io.montage.jobs.ClaimedTask;
import io.montage.jobs.ItemOutcome;
import io.montage.jobs.Job;
import io.montage.jobs.JobQueue;
import io.montage.jobs.JobStatus;
import io.montage.jobs.Jobs;
import io.montage.jobs.NewItem;
import io.montage.jobs.NewJob;
import io.montage.jobs.Priority;
import io.montage.jobs.TaskItem;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;

import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jobs view follows a bulk echo job by server push while the test works its tasks the way a worker does
 * (claim, complete through the shared queue: the console has no worker of its own), then shows its errors and
 * its results and cancels another job.
 */
class JobsBrowserTest extends AdminBrowserTest {

    private static final int ITEMS = 250;
    @Test
    void anEchoJobsProgressReachesAHundredPercentWithoutAReloadAndItsErrorsAndResultsAreThere() {
        Tenant tenant = tenant("jobs");
        Job job = submitEcho(tenant);
        browser.open("jobs?tenant=" + tenant.slug());
        assertTrue(browser.awaitText("jobs", "0 %").contains("queued"));
        String url = browser.driver().getCurrentUrl();

        assertEquals(1, work(job, 1));
        Job partly = Console.bean(Jobs.class).get(tenant.id(), job.id());
        int percent = (ITEMS - partly.pendingItems()) * 100 / ITEMS; // 40 or 20: tasks of 100 and 50 items, any order
        assertTrue(percent > 0 && percent < 100, "one task's items: " + percent + " %");
        assertTrue(browser.awaitText("jobs", percent + " %").contains("running"));
        browser.screenshot("11-jobs");
        assertEquals(2, work(job, Integer.MAX_VALUE));
        String table = browser.awaitText("jobs", "100 %");
        assertTrue(table.contains("succeeded") && table.contains("240 ok · 10 failed"), table);
        assertEquals(url, browser.driver().getCurrentUrl(), "no reload");

        String errors = browser.clickLive("inspect-" + job.id(), "job-errors", "i25");
        assertTrue(errors.contains("echo_refused") && errors.contains("item i25 refused"), errors);
        assertEquals("Page 1", browser.find("errors-page").getText());
        String results = download("download-results");
        List<String> lines = results.lines().toList();
        assertEquals(ITEMS - 10, lines.size(), results.substring(0, Math.min(results.length(), 300)));
        assertEquals("{\"custom_id\":\"i1\",\"index\":1,\"result\":{\"n\": 1}}", lines.getFirst());
        browser.screenshot("12-job-detail");
    }

    @Test
    void cancellingAJobStopsItAndIsAudited() {
        Tenant tenant = tenant("cancel");
        Job job = submitEcho(tenant);
        browser.open("jobs?tenant=" + tenant.slug());
        browser.clickLive("inspect-" + job.id(), "job-title", job.id().toString());
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
        browser.clickLive("inspect-" + quietJob.id(), "job-title", "tenant " + quiet.slug());
    }

    private static Tenant tenant(String prefix) {
        return Console.bean(TenantService.class).create(prefix + "-" + UUID.randomUUID().toString().substring(0, 6),
                "Jobs tenant");
    }

    private static Job submitEcho(Tenant tenant) {
        List<NewItem> items = IntStream.range(0, ITEMS).mapToObj(i -> new NewItem("i" + i, "{\"n\": " + i + "}")).toList();
        return Console.bean(JobQueue.class).submit(tenant.id(), new NewJob("echo", Priority.BULK, "{}", items));
    }

    /**
     * Does what a worker's echo handler does for up to {@code tasks} of the job's tasks: each item's input is its
     * result, except every 25th item, which fails. Tasks of other tests' jobs it claims go back to the queue.
     * Returns the tasks completed.
     */
    private static int work(Job job, int tasks) {
        JobQueue queue = Console.bean(JobQueue.class);
        UUID worker = UUID.randomUUID();
        int completed = 0;
        while (completed < tasks) {
            List<ClaimedTask> claimed = queue.claim(worker, List.of("echo"), 20);
            List<ClaimedTask> ours = claimed.stream().filter(t -> t.jobId().equals(job.id())).toList();
            claimed.stream().filter(t -> !ours.contains(t)).forEach(queue::release);
            if (ours.isEmpty()) {
                return completed;
            }
            for (ClaimedTask task : ours) {
                if (completed < tasks) {
                    queue.complete(task, queue.items(task).stream().map(JobsBrowserTest::echo).toList());
                    completed++;
                } else {
                    queue.release(task);
                }
            }
        }
        return completed;
    }

    private static ItemOutcome echo(TaskItem item) {
        return item.seq() % 25 == 0
                ? ItemOutcome.failed(item.seq(), "echo_refused", "item " + item.customId() + " refused")
                : ItemOutcome.succeeded(item.seq(), item.inputJson());
    }

    /** Fetches what a link downloads, in the browser's session (headless Chromium saves no files here). */
    private static String download(String id) {
        String href = browser.find(id).getDomAttribute("href");
        return (String) ((JavascriptExecutor) browser.driver()).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0]).then(r => r.text()).then(done, e => done('failed: ' + e));", href);
    }
}
