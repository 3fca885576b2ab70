package io.montage.worker.tasks;

import java.util.Set;
import java.util.UUID;

/** The models this worker has loaded: it claims model-bound tasks only for these. */
public interface ServedModels {

    Set<UUID> ids();

    /**
     * What the models run on, for operators (the workers table, the console): DJL's name of the device ({@code cpu()},
     * {@code gpu(0)}) with what DJL tells of it. Loads the engine if no model has yet.
     */
    String device();

    /**
     * Brings the loaded set in line with the registry (loading is slow; call it off the request path).
     *
     * @return whether the set changed
     */
    boolean refresh();
}
