package io.montage.api.inference;

import io.montage.api.ApiServer;
import io.montage.api.SilentSql;
import io.montage.api.TestModels;
import io.montage.apikeys.Scope;
import io.montage.errors.MontageException;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.notify.Notifications;
import io.montage.testing.FakeBundle;
import io.montage.workers.WorkerNode;
import io.montage.workers.WorkerRegistry;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sync path's lookups are answered from the node's caches, and V19's triggers drop them: with a trigger off, a
 * change goes unseen (so the cache answered); the same change with the trigger on is seen at once. Refusals are
 * never kept, so a fix is seen without any notification.
 */
class LookupCachesTest {

    private static final Duration FRESH = Duration.ofSeconds(30);

    private final ModelRegistry registry = ApiServer.bean(ModelRegistry.class);
    private final ModelLookups lookups = ApiServer.bean(ModelLookups.class);
    private final WorkerRegistry workers = ApiServer.bean(WorkerRegistry.class);

    @Test
    void aResolvedModelIsKeptUntilAModelChangeIsCommitted() throws Exception {
        Model model = TestModels.ready("lookup");
        settle();
        assertEquals(model.id(), lookups.resolve(model.reference()).id());

        assertEquals(1, retireSilently(model));
        assertEquals(model.id(), lookups.resolve(model.reference()).id(), "answered from the cache");

        registry.retire(model.id()); // the same change with the trigger on
        assertEquals("model_not_found", eventually(() -> refusal(() -> lookups.resolve(model.reference()))));
    }

    @Test
    void aTenantsDefaultIsKeptUntilTheTenantsRowChanges() throws Exception {
        ApiServer.Caller caller = ApiServer.newCaller(Set.of(Scope.INFERENCE));
        Model first = TestModels.ready("default-a");
        Model second = TestModels.ready("default-b");
        registry.setTenantDefault(caller.tenant().id(), first.id());
        settle();
        assertEquals(Optional.of(first.id()), lookups.tenantDefault(caller.tenant().id()).map(Model::id));

        assertEquals(1, SilentSql.update("tenants", "tenants_default_model_changed",
                "UPDATE tenants SET default_model_id = ? WHERE id = ?", second.id(), caller.tenant().id()));
        assertEquals(Optional.of(first.id()), lookups.tenantDefault(caller.tenant().id()).map(Model::id),
                "answered from the cache");

        registry.setTenantDefault(caller.tenant().id(), second.id());
        assertEquals(Optional.of(second.id()), eventually(() -> {
            Optional<UUID> now = lookups.tenantDefault(caller.tenant().id()).map(Model::id);
            return now.equals(Optional.of(first.id())) ? null : now;
        }));
    }

    @Test
    void refusalsAreNeverKept() throws Exception {
        Model model = registry.register(FakeBundle.write(Files.createTempDirectory("bundle"),
                "unready-" + UUID.randomUUID().toString().substring(0, 6), "1", "w").toString());
        assertEquals("model_not_found", refusal(() -> lookups.resolve(model.reference())), "still validating");
        assertEquals(1, SilentSql.update("models", "models_serving_changed",
                "UPDATE models SET status = 'ready', ready_at = now() WHERE id = ?", model.id()));
        assertEquals(model.id(), lookups.resolve(model.reference()).id(), "the fix is seen without a notification");

        ApiServer.Caller caller = ApiServer.newCaller(Set.of(Scope.INFERENCE));
        assertEquals(Optional.empty(), lookups.tenantDefault(caller.tenant().id()));
        assertEquals(1, SilentSql.update("tenants", "tenants_default_model_changed",
                "UPDATE tenants SET default_model_id = ? WHERE id = ?", model.id(), caller.tenant().id()));
        assertEquals(Optional.of(model.id()), lookups.tenantDefault(caller.tenant().id()).map(Model::id));

        WorkerLiveness liveness = ApiServer.bean(WorkerLiveness.class);
        String capability = WorkerNode.modelCapability(model.id());
        assertFalse(liveness.anyLiveWorkerHas(capability, FRESH));
        UUID worker = UUID.randomUUID();
        workers.register(worker, "lookup-test", 1, List.of(capability)); // an insert: no trigger, none needed
        try {
            assertTrue(liveness.anyLiveWorkerHas(capability, FRESH), "a new worker is seen at once");
        } finally {
            workers.stopped(worker);
        }
    }

    @Test
    void aLiveWorkerIsBelievedForTheTtlOrUntilItSaysItStopped() throws Exception {
        ServingChanges changes = ApiServer.bean(ServingChanges.class);
        WorkerLiveness longLived = new WorkerLiveness(workers, changes,
                new LookupCacheConfig(true, 100, Duration.ofMinutes(1), Duration.ofMinutes(5)));
        WorkerLiveness shortLived = new WorkerLiveness(workers, changes,
                new LookupCacheConfig(true, 100, Duration.ofMinutes(1), Duration.ofMillis(300)));
        String capability = WorkerNode.modelCapability(UUID.randomUUID());
        UUID worker = UUID.randomUUID();
        workers.register(worker, "lookup-test", 1, List.of(capability));
        settle();
        assertTrue(longLived.anyLiveWorkerHas(capability, FRESH));
        assertTrue(shortLived.anyLiveWorkerHas(capability, FRESH));

        assertEquals(1, SilentSql.update("workers", "workers_serving_changed",
                "UPDATE workers SET status = 'stopped', stopped_at = now() WHERE id = ?", worker));
        assertTrue(longLived.anyLiveWorkerHas(capability, FRESH), "answered from the cache");
        assertEquals(Boolean.FALSE, eventually(() -> shortLived.anyLiveWorkerHas(capability, FRESH) ? null : false),
                "a silent death is noticed after the TTL");

        SilentSql.update("workers", "workers_serving_changed",
                "UPDATE workers SET status = 'running' WHERE id = ?", worker);
        workers.stopped(worker); // the same change with the trigger on
        assertEquals(Boolean.FALSE, eventually(() -> longLived.anyLiveWorkerHas(capability, FRESH) ? null : false));
    }

    /**
     * A "yes" used past half its TTL is read again in the background, so a steady stream of requests never waits
     * for it: here the refreshed "yes" still answers after the first one's TTL, when a read would have seen the
     * worker stopped; the next refresh sees it, and the "yes" goes.
     */
    @Test
    void aLiveWorkerUsedPastHalfItsTtlIsReadAgainInTheBackground() throws Exception {
        Duration ttl = Duration.ofSeconds(4);
        WorkerLiveness liveness = new WorkerLiveness(workers, ApiServer.bean(ServingChanges.class),
                new LookupCacheConfig(true, 100, Duration.ofMinutes(1), ttl));
        String capability = WorkerNode.modelCapability(UUID.randomUUID());
        UUID worker = UUID.randomUUID();
        workers.register(worker, "refresh-test", 1, List.of(capability));
        settle();
        long read = System.nanoTime();
        assertTrue(liveness.anyLiveWorkerHas(capability, FRESH)); // read, kept

        sleepUntil(read, ttl.multipliedBy(6).dividedBy(10));
        assertTrue(liveness.anyLiveWorkerHas(capability, FRESH), "answered from the cache, refreshed meanwhile");
        Thread.sleep(600); // the refresh: one read
        assertEquals(1, SilentSql.update("workers", "workers_serving_changed",
                "UPDATE workers SET status = 'stopped', stopped_at = now() WHERE id = ?", worker));

        sleepUntil(read, ttl.multipliedBy(12).dividedBy(10));
        assertTrue(liveness.anyLiveWorkerHas(capability, FRESH), "the refreshed yes outlives the first one's TTL");
        assertEquals(Boolean.FALSE, eventually(() -> liveness.anyLiveWorkerHas(capability, FRESH) ? null : false),
                "the next refresh sees the worker stopped");
    }

    private static void sleepUntil(long start, Duration after) throws InterruptedException {
        long left = start + after.toNanos() - System.nanoTime();
        if (left > 0) {
            Thread.sleep(Duration.ofNanos(left));
        }
    }

    @Test
    void switchedOffEveryLookupReadsTheDatabase() throws Exception {
        LookupCacheConfig off = new LookupCacheConfig(false, 100, Duration.ofMinutes(1), Duration.ofMinutes(1));
        ModelLookups uncached = new ModelLookups(registry, ApiServer.bean(ServingChanges.class), off);
        Model model = TestModels.ready("uncached");
        settle();
        assertEquals(model.id(), uncached.resolve(model.reference()).id());
        retireSilently(model);
        assertEquals("model_not_found", refusal(() -> uncached.resolve(model.reference())));
    }

    private static int retireSilently(Model model) throws SQLException {
        return SilentSql.update("models", "models_serving_changed",
                "UPDATE models SET status = 'retired', retired_at = now() WHERE id = ?", model.id());
    }

    /**
     * Waits until the notifications of the changes made so far have reached this node: they arrive moments after
     * their commits, in commit order, so once a marker sent now has come, each earlier one has emptied the caches.
     */
    private static void settle() throws Exception {
        String marker = UUID.randomUUID().toString();
        CountDownLatch seen = new CountDownLatch(1);
        try (AutoCloseable ignored = ApiServer.bean(Notifications.class).subscribe(ServingChanges.CHANNEL,
                payload -> {
                    if (marker.equals(payload)) {
                        seen.countDown();
                    }
                })) {
            SilentSql.notify(ServingChanges.CHANNEL, marker);
            assertTrue(seen.await(5, TimeUnit.SECONDS), "the marker notification did not come");
        }
    }

    /** The error code of the refusal {@code lookup} throws, or null if it answers. */
    private static String refusal(Supplier<?> lookup) {
        try {
            lookup.get();
            return null;
        } catch (MontageException e) {
            return e.code();
        }
    }

    /** The first non-null answer of {@code probe} within 5 s (a notification arrives moments after its commit). */
    private static <T> T eventually(Supplier<T> probe) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        T answer = probe.get();
        while (answer == null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            answer = probe.get();
        }
        assertTrue(answer != null, "the change was not seen within 5 s");
        return answer;
    }
}
