package io.montage.console.dashboard;

import io.montage.console.charts.PlainChart;
import io.montage.console.charts.Svg;
import io.montage.workers.Throughput;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StackedXYBarRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.data.RangeType;
import org.jfree.data.time.Minute;
import org.jfree.data.time.TimeTableXYDataset;

import java.awt.Color;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;

/**
 * The last hour's items per second, one stacked bar per minute (succeeded, failed), drawn by JFreeChart as SVG. The
 * minute under way is drawn as far as it got, so its bar grows until the minute ends.
 * <p>
 * The browser gets the picture as a {@code data:} URL inside the server push, not as a resource it fetches: an open
 * dashboard then sends no request of its own, and its session still ends when nobody uses it. One instance per open
 * dashboard, used by the refresh thread only: it draws again only when the numbers changed (~6 ms, 31 kB of SVG).
 */
final class ThroughputChart {

    static final int WIDTH = 960;
    static final int HEIGHT = 240;
    private static final TimeZone UTC = TimeZone.getTimeZone("UTC"); // like every time the console shows
    private static final Color SUCCEEDED = new Color(0x1f, 0x8a, 0x4c);
    private static final Color FAILED = new Color(0xd0, 0x3b, 0x3b);

    private List<Throughput.Minute> drawn;
    private String dataUrl;

    /** The picture of {@code minutes} as a {@code data:} URL: the same String while they stay the same. */
    String dataUrl(List<Throughput.Minute> minutes) {
        if (!minutes.equals(drawn)) {
            dataUrl = Svg.dataUrl(svg(minutes));
            drawn = minutes;
        }
        return dataUrl;
    }

    static String svg(List<Throughput.Minute> minutes) {
        return Svg.of(chart(minutes), WIDTH, HEIGHT);
    }

    private static JFreeChart chart(List<Throughput.Minute> minutes) {
        TimeTableXYDataset perSecond = new TimeTableXYDataset(UTC, Locale.ROOT);
        for (Throughput.Minute minute : minutes) {
            Minute period = new Minute(Date.from(minute.start()), UTC, Locale.ROOT);
            perSecond.add(period, minute.succeeded() / 60.0, "succeeded", false);
            perSecond.add(period, minute.failed() / 60.0, "failed", false);
        }
        DateAxis time = new DateAxis();
        time.setTimeZone(UTC);
        SimpleDateFormat hoursMinutes = new SimpleDateFormat("HH:mm", Locale.ROOT);
        hoursMinutes.setTimeZone(UTC);
        time.setDateFormatOverride(hoursMinutes);
        // no axis label: the view's heading says what is drawn, and rotated text would be written as glyph outlines
        NumberAxis rate = new NumberAxis();
        rate.setRangeType(RangeType.POSITIVE); // an idle hour reads 0 to 1, not -0.5 to 0.5
        rate.setAutoRangeMinimumSize(1); // nor a magnified 0 to 0.0001
        StackedXYBarRenderer bars = new StackedXYBarRenderer(0.15);
        bars.setBarPainter(new StandardXYBarPainter());
        bars.setShadowVisible(false);
        bars.setSeriesPaint(0, SUCCEEDED);
        bars.setSeriesPaint(1, FAILED);
        return PlainChart.of(new XYPlot(perSecond, time, rate, bars), true);
    }
}
