package io.montage.worker.fairshare;

import io.montage.jobs.ClaimedTask;
import io.montage.jobs.Priority;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * One task's claim on the worker's shared inference resources (the decoders, each model's batchers): whose it is,
 * whether a caller waits for it, and its window, the most items it may have in flight at once. The window is what
 * bounds every queue behind it: the task's own thread waits for room, never a shared thread, so a task of 100,000
 * items holds no more of a queue than a task of 100.
 */
public final class Flow {

    private final UUID owner;
    private final boolean interactive;
    private final Semaphore window;
    private final String name;

    /**
     * @param owner       the tenant, or null for platform work
     * @param interactive served before every bulk flow
     * @param window      items in flight at most
     * @param name        for logs
     */
    public Flow(UUID owner, boolean interactive, int window, String name) {
        if (window < 1) {
            throw new IllegalArgumentException("a flow's window must hold at least one item, not " + window);
        }
        this.owner = owner;
        this.interactive = interactive;
        this.window = new Semaphore(window);
        this.name = name;
    }

    /** The flow of a claimed task: its tenant, interactive when its priority is. */
    public static Flow of(ClaimedTask task, int window) {
        return new Flow(task.tenantId(), Priority.isInteractive(task.priority()), window, "task " + task.id());
    }

    /** The tenant, or null for platform work. */
    public UUID owner() {
        return owner;
    }

    public boolean interactive() {
        return interactive;
    }

    /**
     * Starts one item once the window has room, waiting for it on the calling (task) thread; the room is given
     * back when the item's future completes, however it completes.
     */
    public <T> CompletableFuture<T> admit(Supplier<CompletableFuture<T>> start) throws InterruptedException {
        enter();
        CompletableFuture<T> item;
        try {
            item = start.get();
        } catch (RuntimeException | Error e) {
            leave();
            throw e;
        }
        item.whenComplete((result, failure) -> leave());
        return item;
    }

    /** Waits for room for one item; pair with {@link #leave} (prefer {@link #admit}). */
    public void enter() throws InterruptedException {
        window.acquire();
    }

    /** An item entered with {@link #enter} is done. */
    public void leave() {
        window.release();
    }

    @Override
    public String toString() {
        return name + (interactive ? " (interactive)" : " (bulk)");
    }
}
