package io.montage.console.browser;

import io.montage.db.Database;
import io.montage.jobs.JobIntake;
import io.montage.jobs.NewItem;
import io.montage.jobs.NewJob;
import io.montage.jobs.Priority;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;
import io.montage.workers.WorkerRegistry;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard follows the queue and the workers by server push: what happens shows up without a reload. */
class DashboardBrowserTest extends AdminBrowserTest {

    @Test
    void newWorkAndWorkersAppearWithoutAReloadAndAStaleWorkerIsFlagged() {
        String url = browser.driver().getCurrentUrl();
        Tenant tenant = Console.bean(TenantService.class).create("dash-" + UUID.randomUUID().toString().substring(0, 6),
                "Dashboard tenant");
        List<NewItem> items = IntStream.range(0, 250).mapToObj(i -> new NewItem("i" + i, "{\"n\":" + i + "}")).toList();
        Console.bean(JobIntake.class).submit(tenant.id(), new NewJob("echo", Priority.BULK, "{}", items));
        UUID alive = UUID.randomUUID();
        UUID gone = UUID.randomUUID();
        WorkerRegistry workers = Console.bean(WorkerRegistry.class);
        workers.register(alive, "gpu-node-1", 4242, List.of("embed", "model:fashion-clip-mini"));
        workers.register(gone, "cpu-node-7", 777, List.of("echo"));
        Console.bean(Database.class).asSystem(c -> {
            try (PreparedStatement stale = c.prepareStatement(
                    "UPDATE workers SET heartbeat_at = now() - interval '2 minutes' WHERE id = ?")) {
                stale.setObject(1, gone);
                return stale.executeUpdate();
            }
        });
        String queue = browser.awaitText("queue", tenant.slug());
        assertTrue(queue.contains("bulk (0)") && queue.contains("250"), queue);
        String table = browser.awaitText("workers", "cpu-node-7");
        assertTrue(table.contains("gpu-node-1") && table.contains("model:fashion-clip-mini"), table);
        assertTrue(table.contains("STALE"), table);
        assertTrue(browser.driver().getCurrentUrl().equals(url), "no reload");
        browser.screenshot("02-dashboard");
    }
}
