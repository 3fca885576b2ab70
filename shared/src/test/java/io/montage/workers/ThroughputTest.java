package io.montage.workers;

import io.montage.db.Database;
import io.montage.jobs.ItemCounts;
import io.montage.testing.SharedContext;
import io.montage.testing.ThroughputRows;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The throughput rollup against real PostgreSQL: workers add what they finished with their heartbeats, the
 * dashboard reads the last hour summed per minute, the cleaner deletes what is past the retention.
 */
class ThroughputTest {

    private final Database database = SharedContext.bean(Database.class);
    private final WorkerRegistry workers = SharedContext.bean(WorkerRegistry.class);
    private final Throughput throughput = SharedContext.bean(Throughput.class);

    @BeforeEach
    void noOtherRows() {
        database.asSystem(c -> c.createStatement().executeUpdate("DELETE FROM throughput"));
    }

    @Test
    void heartbeatsAddUpPerWorkerAndTheHourSumsThemPerMinute() {
        UUID first = worker();
        UUID second = worker();
        Instant before = databaseNow();

        workers.heartbeat(first, new ItemCounts(100, 3, 7));
        workers.heartbeat(first, new ItemCounts(50, 0, 0));
        workers.heartbeat(second, new ItemCounts(25, 2, 0));
        workers.heartbeat(second, ItemCounts.NONE);

        assertEquals(List.of(150L, 3L), totals(first), "cancelled items are no throughput");
        assertEquals(List.of(25L, 2L), totals(second));
        assertTrue(rows(first) <= 2 && rows(second) <= 2, "one row per worker and minute (two if a minute ended)");
        List<Throughput.Minute> hour = throughput.lastHour();
        assertEquals(Throughput.MINUTES_SHOWN, hour.size());
        for (int i = 1; i < hour.size(); i++) {
            assertEquals(Duration.ofMinutes(1), Duration.between(hour.get(i - 1).start(), hour.get(i).start()));
        }
        assertEquals(175, hour.stream().mapToLong(Throughput.Minute::succeeded).sum());
        assertEquals(5, hour.stream().mapToLong(Throughput.Minute::failed).sum());
        Instant after = databaseNow();
        assertTrue(!hour.getLast().start().isAfter(after) && hour.getLast().start().plusSeconds(60).isAfter(before),
                "the hour ends with the minute under way: " + hour.getLast() + ", now " + after);
    }

    @Test
    void eachMinuteSumsItsWorkersAndOnlyTheLastHourIsShown() {
        UUID first = worker();
        UUID second = worker();
        insert(first, 5, 600, 6);
        insert(second, 5, 60, 0);
        insert(first, 59, 1, 2);
        insert(first, 60, 1000, 1000); // that minute is more than an hour old

        List<Throughput.Minute> hour = throughput.lastHour();

        Throughput.Minute fiveAgo = hour.get(Throughput.MINUTES_SHOWN - 1 - 5);
        assertEquals(660, fiveAgo.succeeded());
        assertEquals(6, fiveAgo.failed());
        assertEquals(3, hour.getFirst().items());
        assertEquals(669, hour.stream().mapToLong(Throughput.Minute::items).sum());
    }

    @Test
    void theCleanerDeletesMinutesPastTheRetentionOnly() {
        UUID id = worker();
        insert(id, 60 * 24 + 2, 10, 0); // ended more than a day ago
        insert(id, 60 * 24 - 2, 20, 0);
        insert(id, 0, 30, 0);

        assertEquals(1, throughput.deleteOlderThan(Duration.ofDays(1)));
        assertEquals(List.of(20L, 30L), longs("SELECT succeeded FROM throughput WHERE worker_id = ? ORDER BY minute", id));
        assertEquals(0, throughput.deleteOlderThan(Duration.ofDays(1)));
    }

    private UUID worker() {
        UUID id = UUID.randomUUID();
        workers.register(id, "throughput-test", 1, "cpu()", List.of("echo"));
        return id;
    }

    private void insert(UUID workerId, int minutesAgo, long succeeded, long failed) {
        ThroughputRows.insert(database, workerId, minutesAgo, succeeded, failed);
    }

    private List<Long> totals(UUID workerId) {
        return longs("SELECT sum(succeeded) FROM throughput WHERE worker_id = ? UNION ALL "
                + "SELECT sum(failed) FROM throughput WHERE worker_id = ?", workerId);
    }

    private long rows(UUID workerId) {
        return longs("SELECT count(*) FROM throughput WHERE worker_id = ?", workerId).getFirst();
    }

    /** The first column of {@code sql}, every parameter of which is {@code workerId}. */
    private List<Long> longs(String sql, UUID workerId) {
        return database.asSystem(c -> {
            try (PreparedStatement select = c.prepareStatement(sql)) {
                for (int i = 1; i <= select.getParameterMetaData().getParameterCount(); i++) {
                    select.setObject(i, workerId);
                }
                List<Long> values = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        values.add(rs.getLong(1));
                    }
                }
                return values;
            }
        });
    }

    private Instant databaseNow() {
        return database.asSystem(c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT now()")) {
                rs.next();
                return rs.getTimestamp(1).toInstant();
            }
        });
    }
}
