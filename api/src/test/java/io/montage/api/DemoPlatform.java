package io.montage.api;

import io.micronaut.runtime.server.EmbeddedServer;
import io.montage.apikeys.Scope;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.models.ModelStatus;
import io.montage.testing.TestDatabase;
import io.montage.workers.WorkerNode;
import io.montage.workers.WorkerRegistry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * An api and a real worker process on a database of their own, serving the demo model
 * (deploy/models/fashion-clip-mini: registered, validated and loaded by the worker, as production serves a model),
 * and a tenant with every scope whose default model it is: what tests of real clients (OpenAI's, LangChain4j's)
 * talk to. Their own database keeps the worker away from other tests' jobs and fake models. Started once per test
 * JVM; stopped, worker first, before the database is dropped.
 */
public final class DemoPlatform {

    public static final Path DEMO_BUNDLE = Path.of("..", "deploy", "models", "fashion-clip-mini").toAbsolutePath()
            .normalize();
    private static final Duration SERVED_WITHIN = Duration.ofSeconds(180);
    private static DemoPlatform platform;

    private final Map<String, Object> database;
    private final EmbeddedServer api;
    private final Model model;
    private final ApiServer.Caller caller;

    private DemoPlatform(Map<String, Object> database, EmbeddedServer api, Model model, ApiServer.Caller caller) {
        this.database = database;
        this.api = api;
        this.model = model;
        this.caller = caller;
    }

    public static synchronized DemoPlatform get() throws InterruptedException {
        if (platform == null) {
            platform = start();
        }
        return platform;
    }

    private static DemoPlatform start() throws InterruptedException {
        Map<String, Object> database = TestDatabase.another();
        // small pools: PostgreSQL's 100 connections are shared with the other test JVMs on this machine
        Map<String, Object> apiProperties = new HashMap<>(database);
        apiProperties.put("montage.database.pool-size", 4);
        EmbeddedServer api = ApiServer.startAnother(apiProperties);
        TestDatabase.closeBeforeDrop(api);
        Map<String, Object> workerProperties = new HashMap<>(database);
        workerProperties.putAll(Map.of("montage.models.store",
                api.getEnvironment().getRequiredProperty("montage.models.store", String.class),
                "montage.database.pool-size", 4, "montage.worker.concurrency", 2,
                "montage.worker.interactive-concurrency", 1));
        WorkerProcess worker = WorkerProcess.start(workerProperties);
        TestDatabase.closeBeforeDrop(worker); // closed first: newest first
        ModelRegistry registry = api.getApplicationContext().getBean(ModelRegistry.class);
        Model model = served(registry, api.getApplicationContext().getBean(WorkerRegistry.class),
                registry.register(DEMO_BUNDLE.toString()), worker);
        ApiServer.Caller caller = ApiServer.newCaller(api.getApplicationContext(), EnumSet.allOf(Scope.class));
        registry.setTenantDefault(caller.tenant().id(), model.id());
        return new DemoPlatform(database, api, model, caller);
    }

    /** The model once the worker has validated it and serves it. */
    private static Model served(ModelRegistry registry, WorkerRegistry workers, Model registered, WorkerProcess worker)
            throws InterruptedException {
        long deadline = System.nanoTime() + SERVED_WITHIN.toNanos();
        while (System.nanoTime() < deadline && worker.alive()) {
            Model model = registry.find(registered.id()).orElseThrow();
            if (model.status() == ModelStatus.FAILED) {
                throw new IllegalStateException("the worker failed the demo model: " + model.failureReason());
            }
            if (model.status() == ModelStatus.READY
                    && workers.anyLiveWorkerHas(WorkerNode.modelCapability(model.id()), Duration.ofSeconds(30))) {
                return model;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the worker did not serve the demo model within " + SERVED_WITHIN
                + (worker.alive() ? "" : " (it exited)") + "; " + worker.logTail());
    }

    /** The platform's database, as Micronaut properties ({@code montage.database.*}). */
    public Map<String, Object> database() {
        return database;
    }

    /** The api's base URL, e.g. {@code http://localhost:40123}. */
    public String url() {
        return api.getURL().toString();
    }

    /** The demo model, as registered and served. */
    public Model model() {
        return model;
    }

    /** A key of a tenant with every scope, whose default model is the demo model. */
    public String key() {
        return caller.key();
    }

    /** A key of a new tenant (no default model) with these scopes. */
    public String newKey(Set<Scope> scopes) {
        return ApiServer.newCaller(api.getApplicationContext(), scopes).key();
    }
}
