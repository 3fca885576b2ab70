package io.montage.console.charts;

import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;

import java.awt.Rectangle;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A JFreeChart drawn as SVG on the server, and as a {@code data:} URL: the browser gets the picture inside the
 * server push rather than fetching it, so an open view sends no request of its own.
 */
public final class Svg {

    private Svg() {
    }

    public static String of(JFreeChart chart, int width, int height) {
        SVGGraphics2D svg = new SVGGraphics2D(width, height);
        // a tenth of a pixel is finer than any screen shows; JFreeSVG's default writes every digit of a double
        svg.setGeomDoubleConverter(Svg::tenths);
        svg.setTransformDoubleConverter(Svg::tenths);
        chart.draw(svg, new Rectangle(width, height));
        return svg.getSVGElement();
    }

    public static String dataUrl(String svg) {
        return "data:image/svg+xml;base64," + Base64.getEncoder().encodeToString(svg.getBytes(StandardCharsets.UTF_8));
    }

    private static String tenths(double value) {
        return Double.toString(Math.round(value * 10) / 10.0);
    }
}
