package io.montage.worker.node;

/** The kind of slot a running task takes: a worker has montage.worker.concurrency + interactive-concurrency. */
enum Slot {
    /** Reserved: only interactive tasks take one, so bulk work can never hold them all. */
    INTERACTIVE,
    /** Any task, highest priority first. */
    GENERAL
}
