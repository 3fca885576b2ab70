package io.montage.worker.tasks;

import java.util.Set;
import java.util.UUID;

/** The models this worker has loaded: it claims model-bound tasks only for these. */
public interface ServedModels {

    Set<UUID> ids();

    /**
     * Brings the loaded set in line with the registry (loading is slow; call it off the request path).
     *
     * @return whether the set changed
     */
    boolean refresh();
}
