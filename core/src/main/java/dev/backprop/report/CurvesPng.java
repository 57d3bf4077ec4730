package dev.backprop.report;

import dev.backprop.io.AtomicWrite;
import dev.backprop.train.EpochRecord;
import dev.backprop.train.History;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The training curves as a PNG image, drawn by JFreeChart: training and validation loss per epoch and, when the
 * history has {@code accuracy} or {@code val_accuracy}, the accuracy below it on the same epoch axis. Missing values
 * (no validation set, NaN) are gaps. It follows the {@link HtmlReport}'s charts: the same colours (training blue,
 * validation orange; accuracy dashed, so that its legend entries differ from the loss's), the same rule for a
 * logarithmic axis (positive values whose largest is 20 times the smallest), titles in the same words, and the
 * epoch whose weights were kept marked by a dashed green line.
 *
 * <p>Needs no display: it sets {@code java.awt.headless=true} unless the property is already set. It does need
 * what any Java text rendering needs on Linux, fontconfig and one font (Debian: {@code fontconfig fonts-dejavu-core}).
 *
 * <pre>{@code
 * CurvesPng.write(Path.of("runs/curves.png"), history);             // 900 × 600
 * CurvesPng.write(Path.of("runs/curves.png"), history, 1200, 800);
 * }</pre>
 */
public final class CurvesPng {
    /** The width {@link #write(Path, History)} draws at, in pixels. */
    public static final int DEFAULT_WIDTH = 900;
    /** The height {@link #write(Path, History)} draws at, in pixels. */
    public static final int DEFAULT_HEIGHT = 600;

    static {
        // A command-line tool never opens a window; without this, AWT on a desktop would connect to the display
        // (and fail on a server whose DISPLAY is set but unreachable). An explicit setting by the user wins.
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private static final Color TRAINING = Color.decode(LineChart.TRAINING);
    private static final Color VALIDATION = Color.decode(LineChart.VALIDATION);
    private static final Color GRID = new Color(0xd0d7de);

    private CurvesPng() {
    }

    /** Writes the curves at {@value #DEFAULT_WIDTH} × {@value #DEFAULT_HEIGHT} pixels. */
    public static void write(Path file, History history) throws IOException {
        write(file, history, DEFAULT_WIDTH, DEFAULT_HEIGHT);
    }

    /** Writes the curves at the default size, marking {@code bestEpoch} (from 0; −1 for none) as the one kept. */
    public static void write(Path file, History history, int bestEpoch) throws IOException {
        write(file, history, DEFAULT_WIDTH, DEFAULT_HEIGHT, bestEpoch);
    }

    /**
     * Writes the curves as a {@code width} × {@code height} PNG, atomically (a temporary file in the same
     * directory, renamed over {@code file}).
     *
     * @throws IllegalArgumentException if a size is not in 16..16384
     * @throws IOException              if the file cannot be written
     */
    public static void write(Path file, History history, int width, int height) throws IOException {
        write(file, history, width, height, -1);
    }

    /** {@link #write(Path, History, int, int)}, marking {@code bestEpoch} (from 0; −1 for none) as the one kept. */
    public static void write(Path file, History history, int width, int height, int bestEpoch) throws IOException {
        if (width < 16 || height < 16 || width > 16384 || height > 16384) {
            throw new IllegalArgumentException("curves png: size " + width + " × " + height + " is not in 16..16384");
        }
        JFreeChart chart = chart(history == null ? List.of() : history.epochs(), bestEpoch);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(png, chart, width, height);
        AtomicWrite.bytes(file, png.toByteArray());
    }

    private static JFreeChart chart(List<EpochRecord> epochs, int bestEpoch) {
        int n = epochs.size();
        double[] train = new double[n], val = new double[n], acc = new double[n], valAcc = new double[n];
        for (int i = 0; i < n; i++) {
            EpochRecord r = epochs.get(i);
            train[i] = r.trainLoss();
            val[i] = r.validationLoss();
            acc[i] = r.metrics().getOrDefault("accuracy", Double.NaN);
            valAcc[i] = r.metrics().getOrDefault("val_accuracy", Double.NaN);
        }
        NumberAxis epochAxis = new NumberAxis("epoch");
        epochAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        epochAxis.setAutoRangeIncludesZero(false);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochAxis);
        plot.setGap(12);
        plot.add(subplot(epochs, "Loss", new String[] {"training loss", "validation loss"}, train, val, false), 3);
        if (anyFinite(acc) || anyFinite(valAcc)) {
            plot.add(subplot(epochs, "Accuracy", new String[] {"training accuracy", "validation accuracy"}, acc, valAcc, true), 2);
        }
        if (bestEpoch >= 0 && bestEpoch + 1 < n) {
            for (Object sub : plot.getSubplots()) {
                org.jfree.chart.plot.ValueMarker mark = new org.jfree.chart.plot.ValueMarker(bestEpoch + 1, new Color(0x2da44e),
                        new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f));
                ((XYPlot) sub).addDomainMarker(mark);
            }
            org.jfree.chart.plot.ValueMarker label = (org.jfree.chart.plot.ValueMarker) ((XYPlot) plot.getSubplots().get(0))
                    .getDomainMarkers(org.jfree.chart.ui.Layer.FOREGROUND).iterator().next();
            label.setLabel("best, epoch " + (bestEpoch + 1));
            label.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_LEFT);
            label.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.TOP_RIGHT);
        }
        JFreeChart chart = new JFreeChart("Training curves", new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        return chart;
    }

    /** One plot: the training series in blue, the validation series in orange; series with no values left out. */
    private static XYPlot subplot(List<EpochRecord> epochs, String label, String[] names, double[] train, double[] val, boolean dashed) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        double[][] ys = {train, val};
        Color[] colours = {TRAINING, VALIDATION};
        for (int s = 0; s < 2; s++) {
            if (!anyFinite(ys[s])) continue;
            // autoSort off and duplicates allowed: epochs are already in order, and a resumed history may repeat one.
            XYSeries series = new XYSeries(names[s], false, true);
            boolean isolated = false;
            double[] y = ys[s];
            for (int i = 0; i < y.length; i++) {
                boolean ok = Double.isFinite(y[i]);
                // null is a gap: the renderer draws no line to or from it.
                series.add(epochs.get(i).epoch() + 1, ok ? (Double) y[i] : null);
                if (ok) {
                    lo = Math.min(lo, y[i]);
                    hi = Math.max(hi, y[i]);
                    boolean before = i > 0 && Double.isFinite(y[i - 1]), after = i + 1 < y.length && Double.isFinite(y[i + 1]);
                    isolated |= !before && !after;
                }
            }
            int k = data.getSeriesCount();
            data.addSeries(series);
            renderer.setSeriesPaint(k, colours[s]);
            renderer.setSeriesStroke(k, dashed
                    ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {7f, 4f}, 0f)
                    : new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            renderer.setSeriesShape(k, new Ellipse2D.Double(-3, -3, 6, 6));
            // Markers for short runs; for long ones they would merge into a thick line, except a lone point, which
            // has no line and would not show at all.
            renderer.setSeriesShapesVisible(k, y.length <= 40 || isolated);
        }
        ValueAxis axis;
        if (lo <= hi && LineChart.Axis.of(lo, hi).log) {
            LogAxis log = new LogAxis(label + " (log scale)");
            log.setSmallestValue(lo / 2);
            // Whole decades, labelled 0.01, 1000, 1e-7 as in the HTML report (the default ticks are 10^2.4 and such).
            double decades = Math.log10(hi) - Math.log10(lo);
            log.setTickUnit(new NumberTickUnit(Math.max(1, Math.ceil(decades / 8))), false, true);
            log.setNumberFormatOverride(READABLE);
            axis = log;
        } else {
            NumberAxis linear = new NumberAxis(label);
            linear.setAutoRangeIncludesZero(false);
            axis = linear;
        }
        XYPlot p = new XYPlot(data, null, axis, renderer);
        p.setBackgroundPaint(Color.WHITE);
        p.setDomainGridlinePaint(GRID);
        p.setRangeGridlinePaint(GRID);
        p.setOutlinePaint(GRID);
        p.setNoDataMessage(epochs.isEmpty() ? "no epochs recorded" : "no values");
        return p;
    }

    /** Tick labels by {@link Html#num(double)}: plain for everyday values, 1e-7 for extreme ones. */
    private static final NumberFormat READABLE = new NumberFormat() {
        @Override
        public StringBuffer format(double v, StringBuffer to, FieldPosition pos) {
            return to.append(Html.num(v, 3));
        }

        @Override
        public StringBuffer format(long v, StringBuffer to, FieldPosition pos) {
            return to.append(Html.num(v, 3));
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            throw new UnsupportedOperationException("tick labels are only written");
        }
    };

    private static boolean anyFinite(double[] v) {
        for (double x : v) if (Double.isFinite(x)) return true;
        return false;
    }
}
