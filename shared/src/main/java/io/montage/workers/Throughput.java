package io.montage.workers;

import io.montage.db.Database;
import io.montage.jobs.ItemCounts;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Items the workers finished, per minute of the database's clock (the throughput table, one row per minute and
 * worker). A worker adds what it finished since its last heartbeat with that heartbeat ({@link WorkerRegistry}), so
 * the table is written once per worker and heartbeat, never per item or task, and no two workers write one row. The
 * dashboard sums the last hour: at most 60 minutes × workers rows, however many items are queued.
 */
@Singleton
public class Throughput {

    /** One minute of the last hour, all workers together; the last one is still under way. */
    public record Minute(Instant start, long succeeded, long failed) {

        public long items() {
            return succeeded + failed;
        }
    }

    /** The minute {@code now()} is in (date_bin counts from the epoch: the same on every server's time zone). */
    private static final String THIS_MINUTE = "date_bin('1 minute', now(), timestamptz 'epoch')";
    public static final int MINUTES_SHOWN = 60;

    private final Database database;

    public Throughput(Database database) {
        this.database = database;
    }

    /** Adds {@code finished} to the worker's row of this minute, in the caller's transaction. */
    static void add(Connection c, UUID workerId, ItemCounts finished) throws SQLException {
        if (finished.succeeded() == 0 && finished.failed() == 0) {
            return; // an idle worker writes nothing; the dashboard reads a missing row as zero
        }
        try (PreparedStatement upsert = c.prepareStatement(
                "INSERT INTO throughput (minute, worker_id, succeeded, failed) VALUES (" + THIS_MINUTE + ", ?, ?, ?) "
                        + "ON CONFLICT (minute, worker_id) DO UPDATE SET "
                        + "succeeded = throughput.succeeded + excluded.succeeded, "
                        + "failed = throughput.failed + excluded.failed")) {
            upsert.setObject(1, workerId);
            upsert.setLong(2, finished.succeeded());
            upsert.setLong(3, finished.failed());
            upsert.executeUpdate();
        }
    }

    /** The last {@link #MINUTES_SHOWN} minutes, oldest first, ending with the one under way; zeros where idle. */
    public List<Minute> lastHour() {
        return database.asSystem(c -> {
            String first = THIS_MINUTE + " - interval '" + (MINUTES_SHOWN - 1) + " minutes'";
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT m.minute, coalesce(sum(t.succeeded), 0) AS succeeded, coalesce(sum(t.failed), 0) AS failed "
                            + "FROM generate_series(" + first + ", " + THIS_MINUTE + ", interval '1 minute') AS m(minute) "
                            + "LEFT JOIN throughput t ON t.minute = m.minute AND t.minute >= " + first + " "
                            + "GROUP BY m.minute ORDER BY m.minute");
                 ResultSet rs = select.executeQuery()) {
                List<Minute> minutes = new ArrayList<>(MINUTES_SHOWN);
                while (rs.next()) {
                    minutes.add(new Minute(rs.getTimestamp("minute").toInstant(), rs.getLong("succeeded"),
                            rs.getLong("failed")));
                }
                return minutes;
            }
        });
    }

    /** Deletes the minutes that ended more than {@code retention} ago; returns how many rows. */
    public int deleteOlderThan(Duration retention) {
        return database.asSystem(c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM throughput WHERE minute < now() - make_interval(secs => ?) - interval '1 minute'")) {
                delete.setDouble(1, retention.toMillis() / 1000.0);
                return delete.executeUpdate();
            }
        });
    }
}
