package io.montage.worker.node;

import jakarta.inject.Singleton;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/** Who this worker is: a fresh id per start (it owns the leases it takes), and where an operator finds it. */
@Singleton
public final class WorkerIdentity {

    private final UUID id = UUID.randomUUID();
    private final String host = localHostName();
    private final long pid = ProcessHandle.current().pid();

    public UUID id() {
        return id;
    }

    String host() {
        return host;
    }

    long pid() {
        return pid;
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            // a worker whose own name does not resolve can still do its work; the name is only for operators
            return System.getenv().getOrDefault("HOSTNAME", "unknown");
        }
    }
}
