package io.montage.testing;

import io.montage.db.Database;

import java.sql.PreparedStatement;
import java.util.UUID;

/** Writes a worker's throughput row of a past minute, as its heartbeats would have: history for tests to read. */
public final class ThroughputRows {

    private ThroughputRows() {
    }

    /** The worker's row of the minute {@code minutesAgo} before this one (0: this minute). */
    public static void insert(Database database, UUID workerId, int minutesAgo, long succeeded, long failed) {
        database.asSystem(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO throughput VALUES "
                    + "(date_bin('1 minute', now(), timestamptz 'epoch') - make_interval(mins => ?), ?, ?, ?)")) {
                insert.setInt(1, minutesAgo);
                insert.setObject(2, workerId);
                insert.setLong(3, succeeded);
                insert.setLong(4, failed);
                return insert.executeUpdate();
            }
        });
    }
}
