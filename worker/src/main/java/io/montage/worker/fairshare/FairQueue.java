package io.montage.worker.fairshare;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * A blocking queue that hands out items fairly instead of first come, first served: interactive flows before bulk
 * flows; within a class, one item per owner (tenant) in turn, and within an owner one item per flow (task) in turn.
 * A flow that queued 1,000 items and one that queued 1 alternate, so the small one's item is among the next two
 * out, and an owner running ten tasks gets no more turns than an owner running one. Items of one flow keep their
 * order. With one flow only it is a plain FIFO: nothing is lost when the worker serves a single task.
 *
 * <p>Hand-written: scheduling is the worker's core, and no library offers this two-level round robin with
 * batch-forming waits. Every operation is O(1) per item.
 *
 * @param <T> an item
 */
public final class FairQueue<T> {

    /** The queued items of one flow. */
    private static final class FlowItems<T> {
        final Flow flow;
        final ArrayDeque<T> items = new ArrayDeque<>();

        FlowItems(Flow flow) {
            this.flow = flow;
        }
    }

    /** The flows of one owner that have items, in turn order. */
    private static final class OwnerFlows<T> {
        final UUID owner;
        final ArrayDeque<FlowItems<T>> flows = new ArrayDeque<>();

        OwnerFlows(UUID owner) {
            this.owner = owner;
        }
    }

    /** The owners of one class that have items, in turn order. */
    private static final class ClassOwners<T> {
        final ArrayDeque<OwnerFlows<T>> turns = new ArrayDeque<>();
        final Map<UUID, OwnerFlows<T>> byOwner = new HashMap<>(); // the null key is the platform
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final ClassOwners<T> interactive = new ClassOwners<>(); // guarded by lock
    private final ClassOwners<T> bulk = new ClassOwners<>(); // guarded by lock
    private final Map<Flow, FlowItems<T>> byFlow = new IdentityHashMap<>(); // guarded by lock
    private int size; // guarded by lock

    public void add(Flow flow, T item) {
        lock.lock();
        try {
            FlowItems<T> queued = byFlow.get(flow);
            if (queued == null) {
                queued = new FlowItems<>(flow);
                byFlow.put(flow, queued);
                ClassOwners<T> owners = flow.interactive() ? interactive : bulk;
                OwnerFlows<T> flows = owners.byOwner.get(flow.owner());
                if (flows == null) {
                    flows = new OwnerFlows<>(flow.owner());
                    owners.byOwner.put(flow.owner(), flows);
                    owners.turns.addLast(flows);
                }
                flows.flows.addLast(queued);
            }
            queued.items.addLast(item);
            size++;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes up to {@code max} items in fair order. Waits up to {@code idleNanos} for a first item (none came: an empty
     * list), then up to {@code fillNanos} more for the queue to hold {@code max} (how a batch waits for company), but
     * only while company may come: a bulk item is queued (its task feeds items as fast as they are ready) or
     * {@code busy} says other work is under way. Interactive items alone go at once: a caller waits for each, and
     * nothing says another is coming.
     */
    public List<T> take(int max, long idleNanos, long fillNanos, BooleanSupplier busy) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long idle = idleNanos;
            while (size == 0) {
                if (idle <= 0) {
                    return List.of();
                }
                idle = notEmpty.awaitNanos(idle);
            }
            long fill = fillNanos;
            while (size < max && fill > 0 && (!bulk.turns.isEmpty() || busy.getAsBoolean())) {
                fill = notEmpty.awaitNanos(fill);
            }
            List<T> taken = new ArrayList<>(Math.min(max, size));
            while (taken.size() < max && size > 0) {
                taken.add(next());
            }
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /** Takes one item in fair order, waiting up to {@code timeout} for one; null if none came. */
    public T take(long timeout, TimeUnit unit) throws InterruptedException {
        List<T> one = take(1, unit.toNanos(timeout), 0, () -> false);
        return one.isEmpty() ? null : one.getFirst();
    }

    /** Removes and returns every queued item (on close, to fail them). */
    public List<T> drain() {
        lock.lock();
        try {
            List<T> all = new ArrayList<>(size);
            while (size > 0) {
                all.add(next());
            }
            return all;
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** The next item: the first owner in turn of the highest class with items, its first flow in turn. */
    private T next() {
        ClassOwners<T> owners = interactive.turns.isEmpty() ? bulk : interactive;
        OwnerFlows<T> flows = owners.turns.pollFirst();
        FlowItems<T> queued = flows.flows.pollFirst();
        T item = queued.items.pollFirst();
        size--;
        if (queued.items.isEmpty()) {
            byFlow.remove(queued.flow);
        } else {
            flows.flows.addLast(queued);
        }
        if (flows.flows.isEmpty()) {
            owners.byOwner.remove(flows.owner);
        } else {
            owners.turns.addLast(flows);
        }
        return item;
    }
}
