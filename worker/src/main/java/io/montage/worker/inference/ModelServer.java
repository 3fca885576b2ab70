package io.montage.worker.inference;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.montage.errors.MontageException;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.worker.tasks.ServedModels;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models this worker serves: the configured references (or every ready model), loaded, warmed up and kept in
 * step with the registry. Loading is slow (seconds), so it happens in {@link #refresh}, never on a request.
 */
@Singleton
public class ModelServer implements ServedModels {

    private static final Logger LOG = LoggerFactory.getLogger(ModelServer.class);

    private final InferenceConfig config;
    private final ModelRegistry registry;
    private final Map<UUID, LoadedModel> loaded = new ConcurrentHashMap<>(); // written under this
    private volatile Set<UUID> ids = Set.of();
    private Device device; // guarded by this; resolved with the engine, on first load

    public ModelServer(InferenceConfig config, ModelRegistry registry) {
        this.config = config;
        this.registry = registry;
    }

    @Override
    public Set<UUID> ids() {
        return ids;
    }

    Optional<LoadedModel> get(UUID modelId) {
        return Optional.ofNullable(loaded.get(modelId));
    }

    /**
     * Loads wanted models that are not loaded yet and unloads those no longer wanted or no longer ready.
     *
     * @return whether the served set changed
     */
    @Override
    public synchronized boolean refresh() {
        Map<UUID, Model> wanted = new HashMap<>();
        for (Model model : wantedModels()) {
            wanted.put(model.id(), model);
        }
        boolean changed = false;
        for (UUID id : List.copyOf(loaded.keySet())) {
            if (!wanted.containsKey(id)) {
                LOG.info("unloading model {}", loaded.get(id).model().reference());
                loaded.remove(id).close();
                changed = true;
            }
        }
        for (Model model : wanted.values()) {
            if (!loaded.containsKey(model.id())) {
                try {
                    long start = System.nanoTime();
                    loaded.put(model.id(), load(model));
                    LOG.info("serving model {} (loaded and warmed up in {} ms)", model.reference(),
                            (System.nanoTime() - start) / 1_000_000);
                    changed = true;
                } catch (Exception e) {
                    LOG.error("cannot load model {}; not serving it", model.reference(), e);
                }
            }
        }
        ids = Set.copyOf(loaded.keySet());
        return changed;
    }

    private List<Model> wantedModels() {
        if (config.models().isEmpty()) {
            return registry.ready();
        }
        List<Model> models = new java.util.ArrayList<>();
        for (String reference : config.models()) {
            try {
                models.add(registry.resolve(reference));
            } catch (MontageException e) {
                LOG.warn("montage.inference.models names {}, which is not a ready model", reference);
            }
        }
        return models;
    }

    @Override
    public synchronized String device() {
        try {
            return DeviceDescription.of(resolvedDevice(), Engine.getEngine(ModelRuntime.PYTORCH)) + "; ONNX bundles on "
                    + "cpu, OnnxRuntime " + ModelRuntime.onnxRuntimeVersion();
        } catch (RuntimeException e) {
            // the models cannot load either, and each says why in the log: operators see at a glance that none runs
            return config.device() + " unavailable: " + e.getMessage();
        }
    }

    /** Loads a model outside the served set (to validate it); the caller closes it. */
    synchronized LoadedModel load(Model model) throws Exception {
        return LoadedModel.load(model, config, resolvedDevice());
    }

    private Device resolvedDevice() {
        if (device == null) {
            EngineSettings.apply(config);
            Engine engine = Engine.getEngine(ModelRuntime.PYTORCH);
            if ("gpu".equals(config.device())) {
                if (engine.getGpuCount() == 0) {
                    throw new IllegalStateException("montage.inference.device is gpu, but libtorch sees no GPU "
                            + "(is the CUDA build of libtorch on the classpath?)");
                }
                device = Device.gpu();
            } else {
                device = Device.cpu();
            }
            LOG.info("inference on {} with PyTorch {}", device, engine.getVersion());
        }
        return device;
    }

    @PreDestroy
    synchronized void close() {
        loaded.values().forEach(LoadedModel::close);
        loaded.clear();
        ids = Set.of();
    }
}
