package io.montage.jobs;

import io.montage.db.Durability;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The queue's writes for a synchronous request commit without waiting for the WAL flush
 * ({@code synchronous_commit = off} for that transaction only). Such a request's rows serve only the caller that
 * waits on them: if PostgreSQL crashes, that caller fails whether its last commits survived or not, and what a
 * crash can lose is a suffix of the WAL (never a torn state), so the queue's invariants hold. Bulk work, tenants'
 * data and every management write keep full durability, except claims, which never wait for the flush at any
 * priority ({@link TaskLeases#claim}: a lost claim only hands its task back). Measured in docs/benchmarks.md (fair share): under a bulk
 * job's write load, waiting for the flush behind its commits was the largest part of a small sync request's tail.
 */
public final class SyncRequestCommits {

    private SyncRequestCommits() {
    }

    /** Lets the current transaction commit without waiting for the flush; call it inside that transaction. */
    public static void relax(Connection c) throws SQLException {
        try (Statement set = c.createStatement()) {
            set.execute("SET LOCAL synchronous_commit = off");
        }
    }

    /** {@link #relax} when {@code task} is a tenant's synchronous request (tenants cannot choose priorities). */
    static void relaxFor(Connection c, ClaimedTask task) throws SQLException {
        if (durability(task) == Durability.RELAXED) {
            relax(c);
        }
    }

    /** How a transaction that writes {@code task}'s end commits: relaxed for a tenant's synchronous request. */
    static Durability durability(ClaimedTask task) {
        return task.interactive() && task.tenantId() != null ? Durability.RELAXED : Durability.FULL;
    }
}
