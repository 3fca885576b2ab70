package io.montage.worker.inference;

/**
 * DJL reads these system properties once, when the PyTorch engine first loads; they must be set before that.
 * Offline: native libraries come from the jars on the classpath, nothing is downloaded. OnnxRuntime takes its threads
 * per session instead ({@link ModelRuntime}), from the same {@link #threads}.
 */
final class EngineSettings {

    private EngineSettings() {
    }

    static void apply(InferenceConfig config) {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads(config)));
        // Batches already run in parallel on separate runner threads: inter-op parallelism would only oversubscribe.
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }

    /** Intra-op threads per engine: montage.inference.engine-threads, or every core. */
    static int threads(InferenceConfig config) {
        return config.engineThreads() > 0 ? config.engineThreads() : Runtime.getRuntime().availableProcessors();
    }
}
