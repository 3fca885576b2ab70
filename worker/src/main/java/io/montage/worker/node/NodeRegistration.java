package io.montage.worker.node;

import io.montage.workers.WorkerRegistry;
import jakarta.inject.Singleton;

import java.util.Collection;

/** This worker's row in the workers table, and its share of the throughput table. */
@Singleton
final class NodeRegistration {

    private final WorkerRegistry registry;
    private final WorkerIdentity identity;
    private final FinishedItems finished;

    NodeRegistration(WorkerRegistry registry, WorkerIdentity identity, FinishedItems finished) {
        this.registry = registry;
        this.identity = identity;
        this.finished = finished;
    }

    synchronized void register(String device, Collection<String> capabilities) {
        registry.register(identity.id(), identity.host(), identity.pid(), device, capabilities);
    }

    synchronized void capabilities(Collection<String> capabilities) {
        registry.updateCapabilities(identity.id(), capabilities);
    }

    /** Says this worker is alive and reports the items it finished since the last heartbeat. */
    synchronized void heartbeat() {
        finished.report(items -> registry.heartbeat(identity.id(), items));
    }

    synchronized void draining() {
        registry.draining(identity.id());
    }

    synchronized void stopped() {
        registry.stopped(identity.id());
    }
}
