package io.montage.worker.node;

import io.montage.workers.WorkerRegistry;
import jakarta.inject.Singleton;

import java.util.Collection;

/** This worker's row in the workers table. */
@Singleton
final class NodeRegistration {

    private final WorkerRegistry registry;
    private final WorkerIdentity identity;

    NodeRegistration(WorkerRegistry registry, WorkerIdentity identity) {
        this.registry = registry;
        this.identity = identity;
    }

    synchronized void register(Collection<String> capabilities) {
        registry.register(identity.id(), identity.host(), identity.pid(), capabilities);
    }

    synchronized void capabilities(Collection<String> capabilities) {
        registry.updateCapabilities(identity.id(), capabilities);
    }

    synchronized void heartbeat() {
        registry.heartbeat(identity.id());
    }

    synchronized void draining() {
        registry.draining(identity.id());
    }

    synchronized void stopped() {
        registry.stopped(identity.id());
    }
}
