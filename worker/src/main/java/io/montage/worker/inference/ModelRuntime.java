package io.montage.worker.inference;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import io.montage.models.ModelManifest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * A bundle's entry points loaded on the engine its manifest names (ADR 0022): libtorch for TorchScript (one DJL
 * model, a method per entry point) or OnnxRuntime for ONNX (one DJL model per graph). Everything above it, batchers,
 * warm-up and validation, is the same for both, so one worker serves bundles of both engines at once. Public for
 * deploy/bench, whose engine comparison must load bundles exactly as the worker does.
 */
public abstract sealed class ModelRuntime implements AutoCloseable {

    /** DJL's engine names. */
    public static final String PYTORCH = "PyTorch";
    public static final String ONNXRUNTIME = "OnnxRuntime";

    /** A model's ways in: a clip model's two towers, a fused model's predict. */
    public enum EntryPoint { IMAGE, TEXT, PREDICT }

    /**
     * The OnnxRuntime library's own version: DJL's engine reports the one DJL was built against (1.21.1), not the
     * one on the classpath.
     */
    public static String onnxRuntimeVersion() {
        // DJL's engine first: it creates the process's one OrtEnvironment with its thread options, and fails for
        // good if a plain getEnvironment() has created it already
        Engine.getEngine(ONNXRUNTIME);
        return ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion();
    }

    /**
     * Loads the bundle in {@code dir}. TorchScript runs on {@code device}; ONNX graphs on the CPU (the onnxruntime
     * jar carries the CPU build), each session with {@code threads} intra-op threads and one inter-op thread, as
     * libtorch is set up ({@link EngineSettings}).
     */
    public static ModelRuntime load(ModelManifest manifest, Path dir, String name, Device device, int threads)
            throws IOException, MalformedModelException {
        return manifest.onOnnxRuntime() ? Onnx.load(manifest.onnx(), dir, name, threads)
                : TorchScript.load(manifest.torchscript(), dir, name, device);
    }

    /** A new predictor (not thread-safe: one per runner thread) for one entry point; the caller closes it. */
    public abstract Predictor<TowerTranslator.Batch, float[][]> newPredictor(EntryPoint entry);

    @Override
    public abstract void close();

    private static final class TorchScript extends ModelRuntime {

        private final ai.djl.Model model;
        private final ModelManifest.TorchScript methods;

        private TorchScript(ai.djl.Model model, ModelManifest.TorchScript methods) {
            this.model = model;
            this.methods = methods;
        }

        static TorchScript load(ModelManifest.TorchScript methods, Path dir, String name, Device device)
                throws IOException, MalformedModelException {
            ai.djl.Model model = ai.djl.Model.newInstance(name, device, PYTORCH);
            try {
                model.load(dir, methods.file());
                return new TorchScript(model, methods);
            } catch (IOException | MalformedModelException | RuntimeException e) {
                model.close();
                throw e;
            }
        }

        @Override
        public Predictor<TowerTranslator.Batch, float[][]> newPredictor(EntryPoint entry) {
            String method = switch (entry) {
                case IMAGE -> methods.imageMethod();
                case TEXT -> methods.textMethod();
                case PREDICT -> methods.predictMethod();
            };
            return model.newPredictor(new TowerTranslator(method));
        }

        @Override
        public void close() {
            model.close();
        }
    }

    private static final class Onnx extends ModelRuntime {

        private final Map<EntryPoint, ai.djl.Model> graphs;

        private Onnx(Map<EntryPoint, ai.djl.Model> graphs) {
            this.graphs = graphs;
        }

        static Onnx load(ModelManifest.Onnx files, Path dir, String name, int threads)
                throws IOException, MalformedModelException {
            Map<EntryPoint, String> wanted = new EnumMap<>(EntryPoint.class);
            putIfNamed(wanted, EntryPoint.IMAGE, files.image());
            putIfNamed(wanted, EntryPoint.TEXT, files.text());
            putIfNamed(wanted, EntryPoint.PREDICT, files.predict());
            Onnx loaded = new Onnx(new EnumMap<>(EntryPoint.class));
            try {
                for (Map.Entry<EntryPoint, String> graph : wanted.entrySet()) {
                    ai.djl.Model model = ai.djl.Model.newInstance(name + "-" + graph.getKey(), Device.cpu(), ONNXRUNTIME);
                    loaded.graphs.put(graph.getKey(), model);
                    model.load(dir, graph.getValue(), Map.of("intraOpNumThreads", String.valueOf(threads),
                            "interOpNumThreads", "1"));
                }
                return loaded;
            } catch (IOException | MalformedModelException | RuntimeException e) {
                loaded.close();
                throw e;
            }
        }

        private static void putIfNamed(Map<EntryPoint, String> wanted, EntryPoint entry, String file) {
            if (file != null) {
                wanted.put(entry, file);
            }
        }

        @Override
        public Predictor<TowerTranslator.Batch, float[][]> newPredictor(EntryPoint entry) {
            ai.djl.Model graph = graphs.get(entry);
            if (graph == null) {
                throw new IllegalStateException("the bundle has no ONNX graph for " + entry);
            }
            return graph.newPredictor(TowerTranslator.onnxGraph());
        }

        @Override
        public void close() {
            graphs.values().forEach(ai.djl.Model::close);
        }
    }
}
