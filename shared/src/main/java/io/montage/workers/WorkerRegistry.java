package io.montage.workers;

import io.montage.db.Database;
import io.montage.jobs.ItemCounts;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** Where workers say they exist, what they can run, and that they are alive. */
@Singleton
public class WorkerRegistry {

    private static final String LOST = "lost";

    private final Database database;
    private final WorkerRepository workers;

    public WorkerRegistry(Database database, WorkerRepository workers) {
        this.database = database;
        this.workers = workers;
    }

    /** A worker that runs models on {@code device} (as DJL names it: cpu(), gpu(0) …). */
    public void register(UUID id, String host, long pid, String device, Collection<String> capabilities) {
        run(() -> workers.register(id, host, pid, device, List.copyOf(capabilities)));
    }

    /** A process that takes tasks but reports no device (the tests' stand-ins for a worker). */
    public void register(UUID id, String host, long pid, Collection<String> capabilities) {
        register(id, host, pid, null, capabilities);
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

    /**
     * Says the worker is alive, and adds the items it finished since its last heartbeat to this minute's
     * {@link Throughput}, in one transaction. Leaves its status alone (a draining worker still heartbeats).
     */
    public void heartbeat(UUID id, ItemCounts finished) {
        database.asSystem(c -> {
            if (LOST.equals(workers.heartbeat(id))) {
                workers.backFromLost(id); // it was cut off, not dead: its reaped tasks are someone else's now
            }
            Throughput.add(c, id, finished);
            return null;
        });
    }

    /**
     * Marks every running or draining worker whose heartbeat is older than {@code silence} as lost: killed without
     * a word, or cut off from the database. Safe on every node at once.
     *
     * @return how many were marked
     */
    public int markLost(Duration silence) {
        double seconds = silence.toMillis() / 1000.0;
        return database.asSystem(c -> workers.anySilentFor(seconds) ? workers.markLost(seconds) : 0);
    }

    /** Deletes the rows of workers stopped or lost more than {@code retention} ago (their throughput goes too). */
    public int deleteEndedBefore(Duration retention) {
        return database.asSystem(c -> workers.deleteEndedBefore(retention.toMillis() / 1000.0));
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
