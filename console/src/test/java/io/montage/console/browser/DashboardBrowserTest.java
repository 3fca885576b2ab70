package io.montage.console.browser;

import io.montage.console.navigation.Format;
import io.montage.db.Database;
import io.montage.jobs.ClaimedTask;
import io.montage.jobs.ItemCounts;
import io.montage.jobs.Job;
import io.montage.jobs.JobIntake;
import io.montage.jobs.TaskLeases;
import io.montage.jobs.NewItem;
import io.montage.jobs.NewJob;
import io.montage.jobs.Priority;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;
import io.montage.testing.FakeBundle;
import io.montage.testing.ThroughputRows;
import io.montage.workers.Throughput;
import io.montage.workers.WorkerNode;
import io.montage.workers.WorkerRegistry;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.ToLongFunction;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard follows the queue, the workers, throughput and failures by server push: no reload needed. */
class DashboardBrowserTest extends AdminBrowserTest {

    @Test
    void newWorkWorkersThroughputAndFailuresAppearWithoutAReloadAndAStaleWorkerIsFlagged() throws IOException {
        String url = browser.driver().getCurrentUrl();
        String chartBefore = awaitChart();
        long succeeded = lastHour(Throughput.Minute::succeeded);
        long failed = lastHour(Throughput.Minute::failed);

        Tenant tenant = Console.bean(TenantService.class).create("dash-" + UUID.randomUUID().toString().substring(0, 6),
                "Dashboard tenant");
        JobIntake queue = Console.bean(JobIntake.class);
        TaskLeases leases = Console.bean(TaskLeases.class);
        queue.submit(tenant.id(), new NewJob("echo", Priority.BULK, "{}", items(250)));
        Model model = FakeBundle.registerReady(Console.bean(ModelRegistry.class), "dash-model");
        UUID alive = UUID.randomUUID();
        UUID gone = UUID.randomUUID();
        WorkerRegistry workers = Console.bean(WorkerRegistry.class);
        workers.register(alive, "gpu-node-1", 4242, "gpu(0), PyTorch 2.7.1, sm_90",
                List.of("embed", WorkerNode.modelCapability(model.id())));
        workers.register(gone, "cpu-node-7", 777, "cpu(), PyTorch 2.7.1, 2 cores", List.of("echo"));
        sql("UPDATE workers SET heartbeat_at = now() - interval '2 minutes' WHERE id = ?", gone);
        // the last half hour of the live worker, then what it reports with a heartbeat as a worker does
        for (int minutesAgo = 1; minutesAgo <= 30; minutesAgo++) {
            long ok = 600 + 40L * (minutesAgo % 7);
            ThroughputRows.insert(Console.bean(Database.class), alive, minutesAgo, ok, minutesAgo % 3);
            succeeded += ok;
            failed += minutesAgo % 3;
        }
        workers.heartbeat(alive, new ItemCounts(180, 12, 0));
        succeeded += 180;
        failed += 12;
        // a task that no retry can fix: its 20 items fail with its code
        String type = "dash-" + UUID.randomUUID().toString().substring(0, 6);
        Job failing = queue.submit(tenant.id(), new NewJob(type, Priority.BULK, "{}", items(20)));
        ClaimedTask task = leases.claim(alive, List.of(type), 1).getFirst();
        leases.fail(task, "image_unreadable", "the image could not be decoded", false);

        // one job in flight with 250 items left, once a refresh has seen the other job fail
        String queueText = browser.awaitText("queue", tenant.slug() + " 1 250");
        assertTrue(queueText.contains("bulk (0) " + tenant.slug()), queueText);
        // STALE, not the name: a refresh between the register and the stale heartbeat shows the name fresh
        String table = browser.awaitText("workers", "STALE");
        assertTrue(table.contains("cpu-node-7") && table.contains("gpu-node-1") && table.contains(model.reference()),
                table);
        assertTrue(table.contains("gpu(0), PyTorch 2.7.1, sm_90") && table.contains("STALE"), table);
        String failures = browser.awaitText("failures", failing.id().toString());
        assertTrue(failures.contains(tenant.slug()) && failures.contains("image_unreadable: the image could not be "
                + "decoded") && failures.contains(type), failures);
        browser.awaitText("throughput-summary",
                Format.count(succeeded) + " items succeeded, " + Format.count(failed) + " failed");
        String chartAfter = browser.waitFor().until(d -> {
            String now = awaitChart();
            return now.equals(chartBefore) ? null : now;
        });
        assertNotEquals(chartBefore, chartAfter, "the chart was drawn again with the new minutes");
        assertTrue(browser.driver().getCurrentUrl().equals(url), "no reload");
        browser.screenshot("02-dashboard", 1250); // tall enough for the workers and the failures below the chart
    }

    /** The chart's source once the browser has loaded it as an image of non-zero size. */
    private static String awaitChart() {
        JavascriptExecutor js = (JavascriptExecutor) browser.driver();
        return browser.waitFor().until(d -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> image = (Map<String, Object>) js.executeScript(
                    "const i = document.getElementById('throughput-chart');"
                            + "const box = i && i.getBoundingClientRect();"
                            + "return i && i.complete && i.src ? {src: i.src, natural: i.naturalWidth,"
                            + " width: box.width, height: box.height} : null;");
            boolean shown = image != null && ((Number) image.get("natural")).doubleValue() > 0
                    && ((Number) image.get("width")).doubleValue() > 0 && ((Number) image.get("height")).doubleValue() > 0;
            return shown ? (String) image.get("src") : null;
        });
    }

    private static long lastHour(ToLongFunction<Throughput.Minute> count) {
        return Console.bean(Throughput.class).lastHour().stream().mapToLong(count).sum();
    }

    private static List<NewItem> items(int n) {
        return IntStream.range(0, n).mapToObj(i -> new NewItem("i" + i, "{\"n\":" + i + "}")).toList();
    }

    private static void sql(String statement, UUID id) {
        Console.bean(Database.class).asSystem(c -> {
            try (PreparedStatement update = c.prepareStatement(statement)) {
                update.setObject(1, id);
                return update.executeUpdate();
            }
        });
    }
}
