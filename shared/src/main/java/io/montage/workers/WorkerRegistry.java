package io.montage.workers;

import io.montage.db.Database;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** Where workers say they exist, what they can run, and that they are alive. */
@Singleton
public class WorkerRegistry {

    private final Database database;
    private final WorkerRepository workers;

    public WorkerRegistry(Database database, WorkerRepository workers) {
        this.database = database;
        this.workers = workers;
    }

    public void register(UUID id, String host, long pid, Collection<String> capabilities) {
        run(() -> workers.register(id, host, pid, List.copyOf(capabilities)));
    }

    /** Records what the worker can run now (task types, loaded models). */
    public void updateCapabilities(UUID id, Collection<String> capabilities) {
        run(() -> workers.update(id, List.copyOf(capabilities)));
    }

    /**
     * Whether a worker that heartbeated within {@code freshness} and is not stopping has {@code capability}: the
     * api answers 503 at once, instead of timing out, when nobody could run a request.
     */
    public boolean anyLiveWorkerHas(String capability, Duration freshness) {
        return database.asSystem(c -> workers.anyLiveWith(capability, freshness.toMillis() / 1000.0));
    }

    /** Says the worker is alive; leaves its status alone (a draining worker still heartbeats). */
    public void heartbeat(UUID id) {
        run(() -> workers.heartbeat(id));
    }

    public void draining(UUID id) {
        run(() -> workers.draining(id));
    }

    public void stopped(UUID id) {
        run(() -> workers.stopped(id));
    }

    /** The most recently started workers (at most 200), newest first, whatever their status. */
    public List<WorkerNode> list() {
        return database.asSystem(c -> workers.newest());
    }

    private void run(Runnable write) {
        database.asSystem(c -> {
            write.run();
            return null;
        });
    }
}
