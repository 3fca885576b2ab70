package io.montage.console.charts;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;

import java.awt.Color;

/** The console's one look for an XY chart: white, light grey grid lines, no title (the view's heading says it). */
public final class PlainChart {

    public static final Color GRID = new Color(0xdd, 0xdd, 0xdd);

    private PlainChart() {
    }

    public static JFreeChart of(XYPlot plot, boolean legend) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, legend);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }
}
