package io.montage.worker.inference;

/**
 * DJL reads these system properties once, when the PyTorch engine first loads; they must be set before that.
 * Offline: native libraries come from the jars on the classpath, nothing is downloaded.
 */
final class EngineSettings {

    private EngineSettings() {
    }

    static void apply(InferenceConfig config) {
        System.setProperty("ai.djl.offline", "true");
        int threads = config.engineThreads() > 0 ? config.engineThreads() : Runtime.getRuntime().availableProcessors();
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        // Batches already run in parallel on separate runner threads: inter-op parallelism would only oversubscribe.
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
}
