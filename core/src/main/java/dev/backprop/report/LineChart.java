package dev.backprop.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An SVG line chart of per-epoch values: axes with ticks, horizontal grid lines, a legend, one polyline per run of
 * finite values. Missing values (NaN, ±∞) leave gaps rather than being drawn as zero; a series with no finite value
 * is left out of the plot and named in {@link Result#notes()}. When every value is positive and the largest is 20
 * times the smallest or more, the y axis is logarithmic, so a loss falling from 10³ to 10⁻² stays readable. The epoch
 * whose weights were kept can be marked.
 */
final class LineChart {
    /** Training-set series (loss, metrics): blue. The browser test looks for these exact colours. */
    static final String TRAINING = "#1f6feb";
    /** Validation-set series: orange. */
    static final String VALIDATION = "#e8590c";
    /** Anything else (the learning rate). */
    static final String OTHER = "#8250df";

    static final int WIDTH = 500;
    static final int HEIGHT = 300;
    private static final int TOP = 44;
    private static final int RIGHT = 18;
    private static final int BOTTOM = 42;
    /** A rough width of one character of the 11-pixel label font, to size margins and place the legend. */
    private static final double CHAR = 6.4;
    /** Beyond this many epochs, point markers would merge into a thick line; only the lines are drawn. */
    private static final int MAX_MARKERS = 40;

    /** One line: its legend name, colour and value per epoch (same length as the chart's x values). */
    record Series(String name, String colour, double[] y) {
    }

    /** The SVG element and remarks for a caption (a series with no values, values not drawn). */
    record Result(String svg, List<String> notes) {
    }

    private LineChart() {
    }

    /**
     * Draws {@code series} against {@code x} (epoch numbers, increasing). {@code part} becomes the SVG's
     * {@code data-part} attribute, by which tests and readers find the chart.
     */
    static Result draw(String part, String title, double[] x, List<Series> series) {
        return draw(part, title, x, series, Double.NaN);
    }

    /** {@link #draw(String, String, double[], List)} with a dashed vertical line at epoch {@code mark} (NaN: none), labelled as the best. */
    static Result draw(String part, String title, double[] x, List<Series> series, double mark) {
        List<String> notes = new ArrayList<>();
        List<Series> drawn = new ArrayList<>();
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            int finite = 0;
            for (double v : s.y()) {
                if (Double.isFinite(v)) {
                    finite++;
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            if (finite == 0) {
                notes.add(s.name() + ": no values");
            } else {
                drawn.add(s);
                if (finite < s.y().length) notes.add(s.name() + ": " + (s.y().length - finite) + " missing or non-finite value"
                        + (s.y().length - finite == 1 ? "" : "s") + " not drawn");
            }
        }
        Axis yAxis = drawn.isEmpty() ? Axis.linear(0, 1) : Axis.of(lo, hi);
        Axis xAxis = Axis.epochs(x.length == 0 ? 1 : x[0], x.length == 0 ? 1 : x[x.length - 1]);

        int maxLabel = 1;
        for (int i = 0; i < yAxis.ticks.length; i++) maxLabel = Math.max(maxLabel, yAxis.labels[i].length());
        double left = Math.max(48, Math.min(130, 18 + CHAR * maxLabel));
        double plotW = WIDTH - left - RIGHT, plotH = HEIGHT - TOP - BOTTOM;
        double bottom = TOP + plotH;

        StringBuilder sb = new StringBuilder();
        sb.append("<svg class=\"chart\" data-part=\"").append(Html.escape(part)).append("\" width=\"").append(WIDTH)
                .append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"").append(Html.escape(title)).append("\">\n");
        sb.append("<rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\" fill=\"#fff\"/>\n");
        sb.append("<text class=\"title\" x=\"").append(Html.px(left)).append("\" y=\"18\">").append(Html.escape(title)).append("</text>\n");
        if (yAxis.log) sb.append("<text class=\"note\" x=\"").append(Html.px(left)).append("\" y=\"33\">log scale</text>\n");

        // Grid and y ticks.
        for (int i = 0; i < yAxis.ticks.length; i++) {
            double y = bottom - yAxis.frac(yAxis.ticks[i]) * plotH;
            sb.append("<line class=\"grid\" x1=\"").append(Html.px(left)).append("\" y1=\"").append(Html.px(y)).append("\" x2=\"")
                    .append(Html.px(left + plotW)).append("\" y2=\"").append(Html.px(y)).append("\"/>\n");
            sb.append("<text class=\"tick\" x=\"").append(Html.px(left - 6)).append("\" y=\"").append(Html.px(y + 4))
                    .append("\" text-anchor=\"end\">").append(Html.escape(yAxis.labels[i])).append("</text>\n");
        }
        // x ticks.
        for (int i = 0; i < xAxis.ticks.length; i++) {
            double xx = left + xAxis.frac(xAxis.ticks[i]) * plotW;
            sb.append("<line class=\"axis\" x1=\"").append(Html.px(xx)).append("\" y1=\"").append(Html.px(bottom)).append("\" x2=\"")
                    .append(Html.px(xx)).append("\" y2=\"").append(Html.px(bottom + 5)).append("\"/>\n");
            sb.append("<text class=\"tick\" x=\"").append(Html.px(xx)).append("\" y=\"").append(Html.px(bottom + 18))
                    .append("\" text-anchor=\"middle\">").append(Html.escape(xAxis.labels[i])).append("</text>\n");
        }
        sb.append("<text class=\"tick\" x=\"").append(Html.px(left + plotW / 2)).append("\" y=\"").append(HEIGHT - 6)
                .append("\" text-anchor=\"middle\">epoch</text>\n");
        sb.append("<path class=\"axis\" d=\"M").append(Html.px(left)).append(' ').append(Html.px(TOP)).append("V")
                .append(Html.px(bottom)).append("H").append(Html.px(left + plotW)).append("\" fill=\"none\"/>\n");

        if (Double.isFinite(mark) && x.length > 1 && mark >= x[0] && mark <= x[x.length - 1]) {
            double mx = left + xAxis.frac(mark) * plotW;
            sb.append("<g class=\"best\"><line x1=\"").append(Html.px(mx)).append("\" y1=\"").append(Html.px(TOP)).append("\" x2=\"")
                    .append(Html.px(mx)).append("\" y2=\"").append(Html.px(bottom)).append("\" stroke=\"#2da44e\" stroke-width=\"1.5\" stroke-dasharray=\"5 4\"/>")
                    .append("<text class=\"sub\" x=\"").append(Html.px(mx + (mx > left + plotW * 0.8 ? -4 : 4))).append("\" y=\"").append(Html.px(TOP + 12))
                    .append("\" text-anchor=\"").append(mx > left + plotW * 0.8 ? "end" : "start").append("\">best, epoch ")
                    .append(Html.num(mark)).append("</text></g>\n");
        }
        if (drawn.isEmpty()) {
            sb.append("<text class=\"note\" x=\"").append(Html.px(left + plotW / 2)).append("\" y=\"").append(Html.px(TOP + plotH / 2))
                    .append("\" text-anchor=\"middle\">no values to plot</text>\n");
        }
        for (Series s : drawn) {
            sb.append("<g class=\"series\" stroke=\"").append(s.colour()).append("\" fill=\"").append(s.colour()).append("\">");
            sb.append("<title>").append(Html.escape(s.name())).append("</title>\n");
            double[] y = s.y();
            int n = Math.min(y.length, x.length);
            int i = 0;
            while (i < n) {
                if (!Double.isFinite(y[i])) {
                    i++;
                    continue;
                }
                int start = i;
                StringBuilder pts = new StringBuilder();
                while (i < n && Double.isFinite(y[i])) {
                    if (pts.length() > 0) pts.append(' ');
                    pts.append(Html.px(left + xAxis.frac(x[i]) * plotW)).append(',').append(Html.px(bottom - yAxis.frac(y[i]) * plotH));
                    i++;
                }
                if (i - start > 1) sb.append("<polyline fill=\"none\" stroke-width=\"2\" stroke-linejoin=\"round\" points=\"").append(pts).append("\"/>\n");
                // A lone value (one epoch, or a value between gaps) has no line; without a marker it would be invisible.
                if (n <= MAX_MARKERS || i - start == 1) {
                    for (int k = start; k < i; k++) {
                        sb.append("<circle r=\"").append(n == 1 || i - start == 1 ? "4" : "2.5").append("\" cx=\"")
                                .append(Html.px(left + xAxis.frac(x[k]) * plotW)).append("\" cy=\"")
                                .append(Html.px(bottom - yAxis.frac(y[k]) * plotH)).append("\"><title>")
                                .append(Html.escape(s.name())).append(", epoch ").append(Html.num(x[k])).append(": ")
                                .append(Html.num(y[k])).append("</title></circle>\n");
                    }
                }
            }
            sb.append("</g>\n");
        }
        // Legend, right-aligned above the plot, in series order.
        double[] at = new double[drawn.size()];
        double lx = WIDTH - RIGHT;
        for (int k = drawn.size() - 1; k >= 0; k--) {
            lx -= CHAR * drawn.get(k).name().length();
            at[k] = lx;
            lx -= 38;
        }
        if (!drawn.isEmpty()) sb.append("<g class=\"legend\">");
        for (int k = 0; k < drawn.size(); k++) {
            Series s = drawn.get(k);
            sb.append("<line x1=\"").append(Html.px(at[k] - 24)).append("\" y1=\"18\" x2=\"").append(Html.px(at[k] - 5))
                    .append("\" y2=\"18\" stroke=\"").append(s.colour()).append("\" stroke-width=\"3\"/>");
            sb.append("<text x=\"").append(Html.px(at[k])).append("\" y=\"22\">").append(Html.escape(s.name())).append("</text>\n");
        }
        if (!drawn.isEmpty()) sb.append("</g>\n");
        sb.append("</svg>");
        return new Result(sb.toString(), notes);
    }

    /** Where values lie on one axis, its ticks and their labels. */
    static final class Axis {
        final double lo;
        final double hi;
        final boolean log;
        final double[] ticks;
        final String[] labels;

        private Axis(double lo, double hi, boolean log, double[] ticks, String[] labels) {
            this.lo = lo;
            this.hi = hi;
            this.log = log;
            this.ticks = ticks;
            this.labels = labels;
        }

        /** 0 at the bottom (or left) of the plot, 1 at the top. */
        double frac(double v) {
            if (log) return (Math.log10(v) - lo) / (hi - lo);
            // Halves first: hi − lo can overflow when the values reach ±1e308, their halves cannot.
            return (v / 2 - lo / 2) / (hi / 2 - lo / 2);
        }

        /**
         * The axis for finite values in [lo, hi]: logarithmic when all are positive and the largest is 20 times the
         * smallest or more (a loss whose first epochs would flatten the rest into a line at the bottom).
         */
        static Axis of(double lo, double hi) {
            if (lo > 0 && hi / lo >= 20) return logarithmic(lo, hi);
            return linear(lo, hi);
        }

        static Axis logarithmic(double lo, double hi) {
            int a = (int) Math.floor(Math.log10(lo)), b = (int) Math.ceil(Math.log10(hi));
            if (b == a) b++;
            int every = Math.max(1, (int) Math.ceil((b - a) / 6.0));
            List<Double> ticks = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (int k = a; k <= b; k++) {
                if ((k - a) % every != 0) continue;
                ticks.add(Math.pow(10, k));
                labels.add(k >= -3 && k <= 4 ? Html.num(Math.pow(10, k)) : "1e" + k);
            }
            return new Axis(a, b, true, ticks.stream().mapToDouble(Double::doubleValue).toArray(), labels.toArray(String[]::new));
        }

        static Axis linear(double lo, double hi) {
            double rough = hi / 5 - lo / 5; // a fifth of the span, computed so that it cannot overflow
            if (!(rough >= Double.MIN_NORMAL * 1e3) || rough < Math.max(Math.abs(lo), Math.abs(hi)) * 1e-12) {
                // One value (or values equal to the precision shown): a band around it.
                double mid = lo / 2 + hi / 2;
                double pad = Math.abs(mid) < 1e-290 ? 1 : Math.abs(mid) * 0.1;
                lo = mid - pad;
                hi = mid + pad;
                rough = hi / 5 - lo / 5;
            }
            double step = niceStep(rough);
            double axisLo = Math.floor(lo / step) * step, axisHi = Math.ceil(hi / step) * step;
            if (!Double.isFinite(axisLo)) axisLo = lo;
            if (!Double.isFinite(axisHi)) axisHi = hi;
            List<Double> ticks = new ArrayList<>();
            // The tolerances keep the end ticks that rounding puts a hair outside (3 × 0.1 > 0.3).
            for (double k = Math.ceil(axisLo / step - 1e-9); k * step <= axisHi + step * 1e-9 && ticks.size() < 12; k++) {
                ticks.add(k * step);
            }
            double mag = Math.max(Math.abs(axisLo), Math.abs(axisHi));
            String[] labels = new String[ticks.size()];
            for (int i = 0; i < labels.length; i++) labels[i] = tickLabel(ticks.get(i), step, mag);
            return new Axis(axisLo, axisHi, false, ticks.stream().mapToDouble(Double::doubleValue).toArray(), labels);
        }

        /** The x axis of epochs first..last (1-based), with whole-number ticks. */
        static Axis epochs(double first, double last) {
            if (last <= first) {
                return new Axis(first - 1, first + 1, false, new double[] {first}, new String[] {Html.num(first)});
            }
            double step = Math.max(1, niceStep((last - first) / 6));
            List<Double> ticks = new ArrayList<>(List.of(first));
            for (double t = Math.ceil((first + step * 0.5) / step) * step; t <= last; t += step) ticks.add(t);
            String[] labels = ticks.stream().map(Html::num).toArray(String[]::new);
            return new Axis(first, last, false, ticks.stream().mapToDouble(Double::doubleValue).toArray(), labels);
        }

        /** 1, 2 or 5 times a power of ten, the nearest at or above {@code rough}. */
        static double niceStep(double rough) {
            double p = Math.pow(10, Math.floor(Math.log10(rough)));
            double f = rough / p;
            double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
            return nice * p;
        }

        /** A tick's label with just enough digits to tell it from its neighbours {@code step} away. */
        static String tickLabel(double v, double step, double mag) {
            if (Math.abs(v) < step * 1e-6) return "0";
            int stepExp = (int) Math.floor(Math.log10(step) + 1e-9);
            if (mag >= 1e6 || mag < 1e-3) {
                int digits = (int) Math.floor(Math.log10(Math.abs(v)) + 1e-9) - stepExp + 1;
                return Html.sci(v, Math.max(1, Math.min(15, digits)));
            }
            int decimals = Math.max(0, Math.min(15, -stepExp));
            return String.format(Locale.ROOT, "%." + decimals + "f", v);
        }
    }
}
