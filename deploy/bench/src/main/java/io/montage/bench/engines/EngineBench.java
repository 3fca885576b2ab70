package io.montage.bench.engines;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import io.montage.bench.Bundle;
import io.montage.bench.Latencies;
import io.montage.bench.Machine;
import io.montage.bench.NamedArgs;
import io.montage.bench.raw.ClipTowers;
import io.montage.models.ModelManifest;
import io.montage.worker.inference.ModelRuntime;
import io.montage.worker.inference.TowerTranslator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * libtorch vs OnnxRuntime on the CPU, for bundles exported to both (deploy/models/export_onnx.py: the same weights):
 * every entry point (a clip model's two towers, a fused model's predict) at every batch size, each loaded the way
 * the worker loads it ({@link ModelRuntime}, the same intra-op threads for both engines, one inter-op thread) and
 * fed the same ready tensors. The two engines alternate pass by pass, so the machine's load falls on both alike;
 * the report gives each one's median milliseconds per pass, items per second, and OnnxRuntime's speed ÷ libtorch's.
 *
 * <pre>java -cp … io.montage.bench.engines.EngineBench --pairs TS_DIR:ONNX_DIR,… [--batches 1,8,32]
 *     [--seconds 5] [--min-passes 5] [--threads N] [--out FILE] [--note …]</pre>
 */
public final class EngineBench {

    private static final int WARMUP_PASSES = 3;
    private static final int DISTINCT_BATCHES = 2;

    private EngineBench() {
    }

    /** One entry point at one batch size on both engines. */
    private record Cell(String model, ModelRuntime.EntryPoint entry, int batch, Latencies torchMs, Latencies onnxMs) {

        double torchPerSecond() {
            return batch * 1000 / torchMs.median();
        }

        double onnxPerSecond() {
            return batch * 1000 / onnxMs.median();
        }

        String row() {
            return String.format("| %s | %s | %d | %.2f | %.2f | %.1f | %.1f | **%.2f×** |", model,
                    entry.name().toLowerCase(), batch, torchMs.median(), onnxMs.median(), torchPerSecond(),
                    onnxPerSecond(), onnxPerSecond() / torchPerSecond());
        }
    }

    public static void main(String[] argv) throws Exception {
        NamedArgs args = NamedArgs.parse(argv, List.of("pairs"), "EngineBench --pairs TS_DIR:ONNX_DIR,… "
                + "[--batches 1,8,32] [--seconds 5] [--min-passes 5] [--threads N] [--out FILE] [--note …]");
        int threads = args.integer("threads", Runtime.getRuntime().availableProcessors());
        ClipTowers.configureEngine(threads); // before anything loads libtorch
        int[] batches = Arrays.stream(args.get("batches", "1,8,32").split(",")).mapToInt(Integer::parseInt).toArray();
        double seconds = Double.parseDouble(args.get("seconds", "5"));
        int minPasses = args.integer("min-passes", 5);
        String loadBefore = Machine.loadAverage();
        List<Cell> cells = new ArrayList<>();
        for (String pair : args.get("pairs").split(",")) {
            String[] dirs = pair.split(":");
            Bundle torch = Bundle.read(Path.of(dirs[0]));
            Bundle onnx = Bundle.read(Path.of(dirs[1]));
            if (torch.manifest().onOnnxRuntime() || !onnx.manifest().onOnnxRuntime()) {
                throw new IllegalArgumentException(pair + ": a TorchScript bundle, then its ONNX export");
            }
            cells.addAll(compare(torch, onnx, batches, threads, seconds, minPasses));
        }
        args.publish(report(cells, threads, seconds, minPasses, loadBefore, Machine.loadAverage(),
                String.join("; ", args.notes())));
    }

    private static List<Cell> compare(Bundle torchBundle, Bundle onnxBundle, int[] batches, int threads,
                                      double seconds, int minPasses) throws Exception {
        ModelManifest manifest = torchBundle.manifest();
        List<ModelRuntime.EntryPoint> entries = manifest.fused() ? List.of(ModelRuntime.EntryPoint.PREDICT)
                : List.of(ModelRuntime.EntryPoint.IMAGE, ModelRuntime.EntryPoint.TEXT);
        List<Cell> cells = new ArrayList<>();
        try (ModelRuntime torch = ModelRuntime.load(manifest, torchBundle.dir(), manifest.name(), Device.cpu(), threads);
             ModelRuntime onnx = ModelRuntime.load(onnxBundle.manifest(), onnxBundle.dir(), manifest.name(),
                     Device.cpu(), threads)) {
            for (ModelRuntime.EntryPoint entry : entries) {
                try (Predictor<TowerTranslator.Batch, float[][]> a = torch.newPredictor(entry);
                     Predictor<TowerTranslator.Batch, float[][]> b = onnx.newPredictor(entry)) {
                    for (int batch : batches) {
                        List<TowerTranslator.Batch> inputs = new ArrayList<>();
                        for (int i = 0; i < DISTINCT_BATCHES; i++) {
                            inputs.add(input(manifest, entry, batch, new Random(31L * batch + i)));
                        }
                        System.err.printf("%s %s batch %d…%n", manifest.name(), entry, batch);
                        cells.add(interleave(manifest.name(), entry, batch, a, b, inputs, seconds, minPasses));
                    }
                }
            }
        }
        return cells;
    }

    /** Passes alternate, torch then ONNX on the same input, until each has had {@code seconds} and minPasses. */
    private static Cell interleave(String model, ModelRuntime.EntryPoint entry, int batch,
                                   Predictor<TowerTranslator.Batch, float[][]> torch,
                                   Predictor<TowerTranslator.Batch, float[][]> onnx,
                                   List<TowerTranslator.Batch> inputs, double seconds, int minPasses) throws Exception {
        for (int i = 0; i < WARMUP_PASSES; i++) {
            torch.predict(inputs.get(i % inputs.size()));
            onnx.predict(inputs.get(i % inputs.size()));
        }
        List<Double> torchMs = new ArrayList<>();
        List<Double> onnxMs = new ArrayList<>();
        double torchTotal = 0;
        double onnxTotal = 0;
        for (int pass = 0; pass < minPasses || Math.min(torchTotal, onnxTotal) < seconds * 1000; pass++) {
            TowerTranslator.Batch input = inputs.get(pass % inputs.size());
            torchTotal += timed(torch, input, torchMs);
            onnxTotal += timed(onnx, input, onnxMs);
        }
        return new Cell(model, entry, batch, new Latencies(torchMs), new Latencies(onnxMs));
    }

    private static double timed(Predictor<TowerTranslator.Batch, float[][]> predictor, TowerTranslator.Batch input,
                                List<Double> samples) throws Exception {
        long start = System.nanoTime();
        float[][] out = predictor.predict(input);
        double ms = (System.nanoTime() - start) / 1e6;
        if (out.length != input.rows()) {
            throw new IllegalStateException("a pass returned " + out.length + " rows for " + input.rows());
        }
        samples.add(ms);
        return ms;
    }

    /** Seeded inputs of the bundle's shapes: normal pixels, texts of full length (ids of real tokens, 2 onwards). */
    private static TowerTranslator.Batch input(ModelManifest m, ModelRuntime.EntryPoint entry, int rows, Random random) {
        ModelManifest.Image image = m.image();
        float[] values = new float[rows * image.channels() * image.cropSize() * image.cropSize()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        TowerTranslator.Pixels pixels = new TowerTranslator.Pixels(values, rows, image.channels(), image.cropSize());
        int length = m.text().contextLength();
        long[] ids = new long[rows * length];
        long[] mask = new long[rows * length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 2 + random.nextInt(40);
            mask[i] = 1;
        }
        TowerTranslator.Tokens tokens = new TowerTranslator.Tokens(ids, mask, rows, length);
        return switch (entry) {
            case IMAGE -> pixels;
            case TEXT -> tokens;
            case PREDICT -> new TowerTranslator.PixelsAndTokens(pixels, tokens);
        };
    }

    private static String report(List<Cell> cells, int threads, double seconds, int minPasses, String loadBefore,
                                 String loadAfter, String note) {
        StringBuilder out = new StringBuilder("## Engines on the CPU: libtorch (TorchScript) vs OnnxRuntime (ONNX),"
                + " the same weights\n\n");
        out.append(Machine.describe()).append("\n\nload average before ").append(loadBefore).append(", after ")
                .append(loadAfter).append(note.isEmpty() ? "" : "; " + note).append("\n\n")
                .append(String.format("DJL %s, PyTorch %s, OnnxRuntime %s; %d intra-op threads each, one inter-op"
                                + " thread; passes alternate between the engines on the same input, at least %d and"
                                + " %.0f s each per row after %d warm-up passes%n%n", Engine.getDjlVersion(),
                        Engine.getEngine(ModelRuntime.PYTORCH).getVersion(),
                        ModelRuntime.onnxRuntimeVersion(), threads, minPasses, seconds,
                        WARMUP_PASSES))
                .append("| model | entry point | batch | libtorch ms p50 | OnnxRuntime ms p50 | libtorch items/s |"
                        + " OnnxRuntime items/s | OnnxRuntime ÷ libtorch |\n|---|---|---|---|---|---|---|---|\n");
        double logSum = 0;
        for (Cell cell : cells) {
            out.append(cell.row()).append('\n');
            logSum += Math.log(cell.onnxPerSecond() / cell.torchPerSecond());
        }
        out.append(String.format("%nGeometric mean of OnnxRuntime ÷ libtorch over the %d rows: **%.2f×**%n%n",
                cells.size(), Math.exp(logSum / cells.size())));
        return out.toString();
    }
}
