package io.montage.console.evaluations;

import io.montage.console.charts.PlainChart;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.util.List;
import java.util.Map;

/**
 * The run views' charts, drawn by JFreeChart on the server: the confusion matrix as a heat map, the per-class bars
 * and the recall@k curves. Each is drawn once, when a finished run is opened (its numbers never change again).
 */
final class EvalCharts {

    /** Beyond this many classes the heat map's cells are too small to carry their counts (the table has them). */
    private static final int COUNTS_UP_TO = 20;
    private static final Color[] BARS = {new Color(0x2b, 0x6c, 0xb0), new Color(0x1f, 0x8a, 0x4c),
        new Color(0xc9, 0x7a, 0x1a)};

    private EvalCharts() {
    }

    /**
     * Rows true, columns predicted, each cell shaded by its share of its row (the row's recall on the diagonal), so a
     * small class's mistakes show as clearly as a large one's; the counts are written in the cells.
     */
    static JFreeChart confusion(List<String> classes, List<List<Number>> rows) {
        int n = classes.size();
        double[][] xyz = new double[3][n * n];
        XYPlot plot = new XYPlot();
        for (int t = 0; t < n; t++) {
            double support = rows.get(t).stream().mapToDouble(Number::doubleValue).sum();
            for (int p = 0; p < n; p++) {
                int i = t * n + p;
                double count = rows.get(t).get(p).doubleValue();
                xyz[0][i] = p;
                xyz[1][i] = t;
                xyz[2][i] = support == 0 ? 0 : count / support;
                if (n <= COUNTS_UP_TO) {
                    XYTextAnnotation label = new XYTextAnnotation(String.valueOf((long) count), p, t);
                    label.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
                    label.setPaint(xyz[2][i] > 0.6 ? Color.WHITE : Color.BLACK);
                    plot.addAnnotation(label);
                }
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("share of the true class", xyz);
        SymbolAxis predicted = new SymbolAxis("predicted", classes.toArray(String[]::new));
        predicted.setVerticalTickLabels(true);
        predicted.setGridBandsVisible(false);
        SymbolAxis truth = new SymbolAxis("true", classes.toArray(String[]::new));
        truth.setInverted(true); // the first class on top, as the table reads
        truth.setGridBandsVisible(false);
        XYBlockRenderer blocks = new XYBlockRenderer();
        blocks.setPaintScale(new Shares());
        plot.setDataset(data);
        plot.setDomainAxis(predicted);
        plot.setRangeAxis(truth);
        plot.setRenderer(blocks);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        return PlainChart.of(plot, false);
    }

    /** Precision, recall and F1 of each class, as horizontal bars (labels stay level and readable). */
    static JFreeChart perClass(Map<String, List<Double>> byMetric, List<String> classes) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        byMetric.forEach((metric, values) -> {
            for (int c = 0; c < classes.size(); c++) {
                data.addValue(values.get(c), metric, classes.get(c));
            }
        });
        JFreeChart chart = ChartFactory.createBarChart(null, null, null, data, PlotOrientation.HORIZONTAL, true,
                false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.getRangeAxis().setRange(0, 1);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(PlainChart.GRID);
        BarRenderer bars = (BarRenderer) plot.getRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        for (int s = 0; s < BARS.length; s++) {
            bars.setSeriesPaint(s, BARS[s]);
        }
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** Recall@k against k, one line per model and direction (the points the run measured: k = 1, 5, 10). */
    static JFreeChart recallCurves(Map<String, Map<Integer, Double>> curves) {
        XYSeriesCollection data = new XYSeriesCollection();
        curves.forEach((name, points) -> {
            XYSeries series = new XYSeries(name);
            points.forEach(series::add);
            data.addSeries(series);
        });
        NumberAxis k = new NumberAxis("k");
        k.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        NumberAxis recall = new NumberAxis("recall@k");
        recall.setRange(0, 1.02);
        return PlainChart.of(new XYPlot(data, k, recall, new XYLineAndShapeRenderer(true, true)), true);
    }

    /** White (none of the row) to deep blue (all of it). */
    private static final class Shares implements PaintScale {

        @Override
        public double getLowerBound() {
            return 0;
        }

        @Override
        public double getUpperBound() {
            return 1;
        }

        @Override
        public Paint getPaint(double share) {
            double s = Math.max(0, Math.min(1, share));
            return new Color((int) Math.round(255 - 225 * s), (int) Math.round(255 - 175 * s),
                    (int) Math.round(255 - 95 * s));
        }
    }
}
