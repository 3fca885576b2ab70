package io.montage.db;

/** Whether a transaction's commit waits for its WAL to reach the disk. */
public enum Durability {
    /** The server's setting (synchronous_commit): everything but a synchronous request's queue rows. */
    FULL,
    /** {@code synchronous_commit = off} for this transaction only: see {@code SyncRequestCommits}. */
    RELAXED
}
