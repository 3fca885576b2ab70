package io.montage.worker.node;

import io.montage.db.Database;
import io.montage.jobs.Job;
import io.montage.jobs.NewItem;
import io.montage.jobs.NewJob;
import io.montage.jobs.Priority;
import io.montage.tenants.Tenant;
import io.montage.testing.SharedContext;
import io.montage.worker.testing.Await;
import io.montage.worker.testing.RejectingTaskHandler;
import io.montage.worker.testing.TestJobs;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The running worker adds the items it finished to the throughput table with its heartbeats. */
class ThroughputReportTest {

    @Test
    void itemsThatSucceedOrFailReachTheWorkersThroughputRows() {
        UUID worker = SharedContext.bean(WorkerIdentity.class).id();
        Tenant tenant = SharedContext.newTenant();
        Totals before = totals(worker);

        List<NewItem> echoed = IntStream.range(0, 100)
                .mapToObj(i -> new NewItem("e" + i, i % 50 == 0 ? "{\"fail\": \"bad " + i + "\"}" : "{\"n\":" + i + "}"))
                .toList();
        Job echo = TestJobs.submit(tenant, new NewJob("echo", Priority.BULK, "{}", echoed));
        Job rejected = TestJobs.submit(tenant, RejectingTaskHandler.TYPE, "{}", 30);
        assertEquals(98, TestJobs.awaitEnd(tenant, echo, Duration.ofSeconds(20)).succeededItems());
        assertEquals(30, TestJobs.awaitEnd(tenant, rejected, Duration.ofSeconds(20)).failedItems());

        // within a heartbeat or two (200 ms in tests); another test's items may add to them, never take away
        Await.until(Duration.ofSeconds(5), "98 more succeeded and 32 more failed items than " + before,
                () -> totals(worker),
                now -> now.succeeded() >= before.succeeded() + 98 && now.failed() >= before.failed() + 32);
    }

    private record Totals(long succeeded, long failed) {
    }

    private static Totals totals(UUID worker) {
        return SharedContext.bean(Database.class).asSystem(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT coalesce(sum(succeeded), 0), "
                    + "coalesce(sum(failed), 0) FROM throughput WHERE worker_id = ?")) {
                select.setObject(1, worker);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return new Totals(rs.getLong(1), rs.getLong(2));
                }
            }
        });
    }
}
