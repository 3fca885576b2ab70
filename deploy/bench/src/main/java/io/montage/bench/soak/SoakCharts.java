package io.montage.bench.soak;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The soak's plots as PNGs, drawn from its samples: the worker's memory, the api's memory, the queue tables' sizes
 * and items/s over time (minutes since sampling began, the upload shaded), and the worker's native memory against
 * the items finished with the fitted line of {@link Flatness}. Also a main that draws them again from a run's CSV:
 * {@code java -cp … io.montage.bench.soak.SoakCharts soak.csv PNG_DIR PREFIX [STEADY_FROM]}.
 */
public final class SoakCharts {

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 480;
    /** Distinct on white and for the common colour blindnesses (Okabe-Ito). */
    private static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73),
        new Color(0xCC79A7), new Color(0xE69F00), new Color(0x56B4E9), Color.BLACK};

    private SoakCharts() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: SoakCharts SOAK.csv PNG_DIR PREFIX [STEADY_FROM (0.2)]");
            System.exit(2);
        }
        List<Sample> samples = Files.readAllLines(Path.of(args[0])).stream().skip(1).map(Sample::parse).toList();
        double steadyFrom = args.length > 3 ? Double.parseDouble(args[3]) : 0.2;
        Flatness worker = Flatness.fit(samples, Sample::workerNative, steadyFrom);
        System.out.println(write(samples, worker, Path.of(args[1]), args[2]));
        System.out.println("worker native: " + worker);
        System.out.println("worker NMT outside the heap: " + Flatness.fit(samples, Sample::workerNmtNonHeap, steadyFrom));
        System.out.println("api native: " + Flatness.fit(samples, Sample::apiNative, steadyFrom));
    }

    /** Writes the five PNGs as PREFIX-*.png in {@code dir}; returns their file names. */
    static List<String> write(List<Sample> samples, Flatness fit, Path dir, String prefix) throws IOException {
        Files.createDirectories(dir);
        Map<String, JFreeChart> charts = new LinkedHashMap<>();
        charts.put("worker-memory", overTime(samples, "Worker memory", "MiB", Map.of(
                "RSS", Sample::workerRss,
                "native (resident outside the heap)", Sample::workerNative,
                "heap committed", Sample::workerHeapCommitted,
                "heap used", Sample::workerHeapUsed,
                "NMT outside the heap", Sample::workerNmtNonHeap)));
        charts.put("api-memory", overTime(samples, "api memory", "MiB", Map.of(
                "RSS", Sample::apiRss,
                "native (resident outside the heap)", Sample::apiNative,
                "heap committed", Sample::apiHeapCommitted,
                "heap used", Sample::apiHeapUsed)));
        charts.put("postgres", overTime(samples, "PostgreSQL: queue tables on disk", "MiB", Map.of(
                "items table", Sample::itemsHeap,
                "items TOAST", Sample::itemsToast,
                "items indexes", Sample::itemsIndexes,
                "tasks (all)", s -> s.tasksHeap() + s.tasksToast() + s.tasksIndexes(),
                "jobs (all)", s -> s.jobsHeap() + s.jobsToast() + s.jobsIndexes())));
        charts.put("throughput", overTime(samples, "Items finished per second (between samples)", "items/s",
                Map.of("items/s", Sample::itemsPerSecond)));
        charts.put("native-vs-items", nativeAgainstItems(samples, fit));
        List<String> names = charts.keySet().stream().map(name -> prefix + "-" + name + ".png").toList();
        int i = 0;
        for (JFreeChart chart : charts.values()) {
            style(chart.getXYPlot());
            ChartUtils.saveChartAsPNG(dir.resolve(names.get(i++)).toFile(), chart, WIDTH, HEIGHT);
        }
        return names;
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYItemRenderer renderer = plot.getRenderer();
        for (int series = 0; series < plot.getDataset().getSeriesCount(); series++) {
            renderer.setSeriesPaint(series, PALETTE[series % PALETTE.length]);
            renderer.setSeriesStroke(series, new BasicStroke(2f));
        }
    }

    private static JFreeChart overTime(List<Sample> samples, String title, String unit,
                                       Map<String, ToDoubleFunction<Sample>> series) {
        XYSeriesCollection data = new XYSeriesCollection();
        new java.util.TreeMap<>(series).forEach((name, value) -> {
            XYSeries line = new XYSeries(name, false);
            for (Sample s : samples) {
                line.add(s.seconds() / 60, value.applyAsDouble(s));
            }
            data.addSeries(line);
        });
        JFreeChart chart = ChartFactory.createXYLineChart(title, "minutes since sampling began", unit, data,
                PlotOrientation.VERTICAL, true, false, false);
        shadeUpload(samples, chart.getXYPlot());
        return chart;
    }

    /** The upload (from the first sample to the last one taken while a body was still being sent) in light grey. */
    private static void shadeUpload(List<Sample> samples, XYPlot plot) {
        double end = samples.stream().filter(s -> s.phase().equals("upload")).mapToDouble(Sample::seconds).max()
                .orElse(Double.NaN);
        if (!Double.isNaN(end)) {
            IntervalMarker upload = new IntervalMarker(samples.getFirst().seconds() / 60, end / 60,
                    new Color(0, 0, 0, 20));
            upload.setLabel("upload");
            upload.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            upload.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            upload.setLabelOffset(new RectangleInsets(4, 4, 4, 4));
            plot.addDomainMarker(upload, Layer.BACKGROUND);
        }
    }

    private static JFreeChart nativeAgainstItems(List<Sample> samples, Flatness fit) {
        XYSeries points = new XYSeries("native (resident outside the heap)", false);
        for (Sample s : samples) {
            if (s.phase().equals("processing")) {
                points.add(s.itemsDone() / 1000.0, s.workerNative());
            }
        }
        XYSeries line = new XYSeries(String.format(java.util.Locale.ROOT, "fit over the steady part: %+.2f MiB "
                + "per 100k items", fit.slopePer100k()), false);
        line.add(fit.fromItems() / 1000.0, fit.fittedFirst());
        line.add(fit.toItems() / 1000.0, fit.fittedLast());
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(points);
        data.addSeries(line);
        JFreeChart chart = ChartFactory.createXYLineChart("Worker native memory against items finished (y axis not "
                + "from 0)", "thousand items finished", "MiB", data, PlotOrientation.VERTICAL, true, false, false);
        ((NumberAxis) chart.getXYPlot().getRangeAxis()).setAutoRangeIncludesZero(false);
        return chart;
    }
}
