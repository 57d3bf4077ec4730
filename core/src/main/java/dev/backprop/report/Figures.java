package dev.backprop.report;

import java.util.List;
import java.util.Locale;

/**
 * The report's figures other than the per-epoch curves, in {@link LineChart}'s style (its size, margins, fonts, axes
 * and colours): a scatter of two quantities with a reference line (predicted against actual; residuals), horizontal
 * bars of per-class scores, and a decision-boundary map of two inputs.
 */
final class Figures {
    /** Class colours, in class order (repeated past ten); the first two are the curves' own blue and orange. */
    static final String[] PALETTE = {LineChart.TRAINING, LineChart.VALIDATION, "#2da44e", "#8250df", "#bf3989", "#9a6700",
        "#0550ae", "#cf222e", "#1b7c83", "#6e7781"};

    private static final int W = LineChart.WIDTH, H = LineChart.HEIGHT, TOP = 44, RIGHT = 34, BOTTOM = 42, LEFT = 64;

    private Figures() {}

    private static StringBuilder open(String part, String title, String subtitle) {
        StringBuilder sb = new StringBuilder();
        sb.append("<svg class=\"chart\" data-part=\"").append(Html.escape(part)).append("\" width=\"").append(W)
                .append("\" height=\"").append(H).append("\" viewBox=\"0 0 ").append(W).append(' ').append(H)
                .append("\" role=\"img\" aria-label=\"").append(Html.escape(title)).append("\">\n");
        sb.append("<rect x=\"0\" y=\"0\" width=\"").append(W).append("\" height=\"").append(H).append("\" fill=\"#fff\"/>\n");
        sb.append("<text class=\"title\" x=\"").append(LEFT).append("\" y=\"18\">").append(Html.escape(title)).append("</text>\n");
        if (subtitle != null) sb.append("<text class=\"note\" x=\"").append(LEFT).append("\" y=\"33\">").append(Html.escape(subtitle)).append("</text>\n");
        return sb;
    }

    /** Ticks, grid lines, axis names and the axis lines of a plot area. */
    private static void axes(StringBuilder sb, LineChart.Axis x, LineChart.Axis y, String xName, String yName) {
        double plotW = W - LEFT - RIGHT, plotH = H - TOP - BOTTOM, bottom = TOP + plotH;
        for (int i = 0; i < y.ticks.length; i++) {
            double yy = bottom - y.frac(y.ticks[i]) * plotH;
            sb.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" y1=\"").append(Html.px(yy)).append("\" x2=\"")
                    .append(Html.px(LEFT + plotW)).append("\" y2=\"").append(Html.px(yy)).append("\"/>\n");
            sb.append("<text class=\"tick\" x=\"").append(LEFT - 6).append("\" y=\"").append(Html.px(yy + 4))
                    .append("\" text-anchor=\"end\">").append(Html.escape(y.labels[i])).append("</text>\n");
        }
        for (int i = 0; i < x.ticks.length; i++) {
            double xx = LEFT + x.frac(x.ticks[i]) * plotW;
            sb.append("<line class=\"axis\" x1=\"").append(Html.px(xx)).append("\" y1=\"").append(Html.px(bottom)).append("\" x2=\"")
                    .append(Html.px(xx)).append("\" y2=\"").append(Html.px(bottom + 5)).append("\"/>\n");
            sb.append("<text class=\"tick\" x=\"").append(Html.px(xx)).append("\" y=\"").append(Html.px(bottom + 18))
                    .append("\" text-anchor=\"middle\">").append(Html.escape(x.labels[i])).append("</text>\n");
        }
        sb.append("<text class=\"tick\" x=\"").append(Html.px(LEFT + plotW / 2)).append("\" y=\"").append(H - 6)
                .append("\" text-anchor=\"middle\">").append(Html.escape(xName)).append("</text>\n");
        sb.append("<text class=\"tick\" transform=\"translate(12,").append(Html.px(TOP + plotH / 2)).append(") rotate(-90)\" text-anchor=\"middle\">")
                .append(Html.escape(yName)).append("</text>\n");
        sb.append("<path class=\"axis\" d=\"M").append(LEFT).append(' ').append(TOP).append("V").append(Html.px(bottom)).append("H")
                .append(Html.px(LEFT + plotW)).append("\" fill=\"none\"/>\n");
    }

    private static double[] range(double[] v) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double d : v) {
            if (Double.isFinite(d)) {
                lo = Math.min(lo, d);
                hi = Math.max(hi, d);
            }
        }
        return lo <= hi ? new double[] {lo, hi} : new double[] {0, 1};
    }

    /**
     * Points {@code (x[i], y[i])} with a reference line: {@code y = x} when {@code diagonal}, else {@code y = 0}.
     * Both axes share one scale when {@code diagonal}, so that the line is at 45°.
     */
    static String scatter(String part, String title, String subtitle, String xName, String yName, double[] x, double[] y,
                          boolean diagonal) {
        double[] rx = range(x), ry = range(y);
        if (diagonal) {
            double lo = Math.min(rx[0], ry[0]), hi = Math.max(rx[1], ry[1]);
            rx = new double[] {lo, hi};
            ry = new double[] {lo, hi};
        } else {
            double m = Math.max(Math.abs(ry[0]), Math.abs(ry[1]));
            ry = new double[] {-m, m};
        }
        LineChart.Axis ax = LineChart.Axis.linear(rx[0], rx[1]), ay = LineChart.Axis.linear(ry[0], ry[1]);
        StringBuilder sb = open(part, title, subtitle);
        axes(sb, ax, ay, xName, yName);
        double plotW = W - LEFT - RIGHT, plotH = H - TOP - BOTTOM, bottom = TOP + plotH;
        if (diagonal) {
            double lo = Math.max(ax.lo, ay.lo), hi = Math.min(ax.hi, ay.hi);
            sb.append("<line class=\"reference\" stroke=\"#8c959f\" stroke-dasharray=\"4 3\" x1=\"").append(Html.px(LEFT + ax.frac(lo) * plotW))
                    .append("\" y1=\"").append(Html.px(bottom - ay.frac(lo) * plotH)).append("\" x2=\"").append(Html.px(LEFT + ax.frac(hi) * plotW))
                    .append("\" y2=\"").append(Html.px(bottom - ay.frac(hi) * plotH)).append("\"><title>predicted = actual</title></line>\n");
        } else {
            double y0 = bottom - ay.frac(0) * plotH;
            sb.append("<line class=\"reference\" stroke=\"#8c959f\" stroke-dasharray=\"4 3\" x1=\"").append(LEFT).append("\" y1=\"")
                    .append(Html.px(y0)).append("\" x2=\"").append(Html.px(LEFT + plotW)).append("\" y2=\"").append(Html.px(y0))
                    .append("\"><title>no error</title></line>\n");
        }
        sb.append("<g class=\"points\" fill=\"").append(LineChart.VALIDATION).append("\" fill-opacity=\"0.55\">\n");
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) continue;
            sb.append("<circle r=\"2.5\" cx=\"").append(Html.px(LEFT + ax.frac(x[i]) * plotW)).append("\" cy=\"")
                    .append(Html.px(bottom - ay.frac(y[i]) * plotH)).append("\"/>");
            if (i % 8 == 7) sb.append('\n');
        }
        return sb.append("</g>\n</svg>").toString();
    }

    /**
     * A grid of images the classifier got wrong, six to a row, each drawn at twice its size in 16 grey levels (runs
     * of one level merged into one rectangle) with its actual class and "→ predicted" beneath it.
     */
    static String images(String part, String title, List<Misclassified> images) {
        int cols = 6, scale = 2;
        int cellW = Math.max(104, images.stream().mapToInt(Misclassified::width).max().orElse(1) * scale + 28);
        int cellH = images.stream().mapToInt(Misclassified::height).max().orElse(1) * scale + 44;
        int rows = (images.size() + cols - 1) / cols;
        int width = Math.max(W, cols * cellW), height = 30 + rows * cellH;
        StringBuilder sb = new StringBuilder();
        sb.append("<svg class=\"chart\" data-part=\"").append(Html.escape(part)).append("\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" role=\"img\" aria-label=\"").append(Html.escape(title)).append("\">\n");
        sb.append("<rect x=\"0\" y=\"0\" width=\"").append(width).append("\" height=\"").append(height).append("\" fill=\"#fff\"/>\n");
        sb.append("<text class=\"title\" x=\"8\" y=\"18\">").append(Html.escape(title)).append("</text>\n");
        for (int k = 0; k < images.size(); k++) {
            Misclassified m = images.get(k);
            double ox = (k % cols) * cellW + (cellW - m.width() * scale) / 2.0, oy = 30 + (k / cols) * cellH;
            sb.append("<g class=\"image\"><title>").append(Html.escape(m.actual() + " predicted as " + m.predicted())).append("</title>");
            sb.append("<rect x=\"").append(Html.px(ox)).append("\" y=\"").append(Html.px(oy)).append("\" width=\"").append(m.width() * scale)
                    .append("\" height=\"").append(m.height() * scale).append("\" fill=\"#fff\" stroke=\"#d0d7de\"/>");
            for (int r = 0; r < m.height(); r++) {
                int c = 0;
                while (c < m.width()) {
                    int level = level(m.pixels()[r * m.width() + c]), start = c;
                    while (c < m.width() && level(m.pixels()[r * m.width() + c]) == level) c++;
                    if (level == 0) continue;
                    int grey = 255 - level * 17;
                    sb.append("<rect x=\"").append(Html.px(ox + start * scale)).append("\" y=\"").append(Html.px(oy + r * scale))
                            .append("\" width=\"").append((c - start) * scale).append("\" height=\"").append(scale)
                            .append("\" fill=\"").append(String.format(Locale.ROOT, "#%02x%02x%02x", grey, grey, grey)).append("\"/>");
                }
            }
            double mid = ox + m.width() * scale / 2.0, below = oy + m.height() * scale;
            sb.append("<text class=\"sub\" x=\"").append(Html.px(mid)).append("\" y=\"").append(Html.px(below + 13))
                    .append("\" text-anchor=\"middle\">").append(Html.escape(shorten(m.actual()))).append("</text>");
            sb.append("<text class=\"sub\" x=\"").append(Html.px(mid)).append("\" y=\"").append(Html.px(below + 26))
                    .append("\" text-anchor=\"middle\">→ ").append(Html.escape(shorten(m.predicted()))).append("</text></g>\n");
        }
        return sb.append("</svg>").toString();
    }

    /** A grey level in 0..15: 0 for white (and anything not a number), 15 for black. */
    private static int level(float v) {
        if (!(v > 0)) return 0;
        return (int) Math.round(Math.min(1, v) * 15);
    }

    private static String shorten(String s) {
        return s.length() <= 12 ? s : s.substring(0, 11) + "…";
    }

    /** {@code colour} (#rrggbb) mixed with white: {@code amount} 0 is white, 1 the colour itself. */
    static String tint(String colour, double amount) {
        int rgb = Integer.parseInt(colour.substring(1), 16);
        int r = (rgb >> 16) & 255, g = (rgb >> 8) & 255, b = rgb & 255;
        r = (int) Math.round(255 - (255 - r) * amount);
        g = (int) Math.round(255 - (255 - g) * amount);
        b = (int) Math.round(255 - (255 - b) * amount);
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
    }

    /** Horizontal bars of one score per class, in [0, 1], each labelled with its class and value. */
    static String bars(String part, String title, List<String> names, double[] values) {
        int n = values.length;
        double rowH = Math.max(12, Math.min(24, (H - TOP - 16.0) / Math.max(1, n)));
        int height = (int) Math.ceil(TOP + rowH * n + 16);
        int longest = names.stream().mapToInt(String::length).max().orElse(1);
        double left = Math.min(180, 16 + 6.4 * longest), plotW = W - left - 60;
        StringBuilder sb = new StringBuilder();
        sb.append("<svg class=\"chart\" data-part=\"").append(Html.escape(part)).append("\" width=\"").append(W)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(W).append(' ').append(height)
                .append("\" role=\"img\" aria-label=\"").append(Html.escape(title)).append("\">\n");
        sb.append("<rect x=\"0\" y=\"0\" width=\"").append(W).append("\" height=\"").append(height).append("\" fill=\"#fff\"/>\n");
        sb.append("<text class=\"title\" x=\"").append(Html.px(left)).append("\" y=\"18\">").append(Html.escape(title)).append("</text>\n");
        for (double t : new double[] {0, 0.25, 0.5, 0.75, 1}) {
            double x = left + t * plotW;
            sb.append("<line class=\"grid\" x1=\"").append(Html.px(x)).append("\" y1=\"").append(TOP - 6).append("\" x2=\"").append(Html.px(x))
                    .append("\" y2=\"").append(Html.px(TOP + rowH * n)).append("\"/>");
            sb.append("<text class=\"tick\" x=\"").append(Html.px(x)).append("\" y=\"").append(TOP - 10).append("\" text-anchor=\"middle\">")
                    .append(Html.num(t)).append("</text>\n");
        }
        for (int i = 0; i < n; i++) {
            double y = TOP + rowH * i, v = Double.isFinite(values[i]) ? Math.max(0, Math.min(1, values[i])) : 0;
            String name = names.get(i);
            sb.append("<text class=\"tick\" x=\"").append(Html.px(left - 6)).append("\" y=\"").append(Html.px(y + rowH * 0.7))
                    .append("\" text-anchor=\"end\">").append(Html.escape(name)).append("</text>");
            sb.append("<rect class=\"bar\" fill=\"").append(LineChart.TRAINING).append("\" x=\"").append(Html.px(left)).append("\" y=\"")
                    .append(Html.px(y + rowH * 0.15)).append("\" width=\"").append(Html.px(v * plotW)).append("\" height=\"")
                    .append(Html.px(rowH * 0.7)).append("\"><title>").append(Html.escape(name)).append(": ")
                    .append(String.format(Locale.ROOT, "%.4f", values[i])).append("</title></rect>");
            sb.append("<text class=\"sub\" x=\"").append(Html.px(left + v * plotW + 4)).append("\" y=\"").append(Html.px(y + rowH * 0.7))
                    .append("\">").append(String.format(Locale.ROOT, "%.3f", values[i])).append("</text>\n");
        }
        return sb.append("</svg>").toString();
    }

    /**
     * A map of the class a model predicts over two inputs: each grid cell tinted by its class, the stronger the more
     * confident, with the data's points on top in their class colours.
     */
    static String boundary(String part, String title, Boundary b, List<String> classNames) {
        LineChart.Axis ax = LineChart.Axis.linear(b.xMin(), b.xMax()), ay = LineChart.Axis.linear(b.yMin(), b.yMax());
        StringBuilder sb = open(part, title, "shade: the predicted class, the darker the more confident; dots: the data");
        double plotW = W - LEFT - RIGHT, plotH = H - TOP - BOTTOM, bottom = TOP + plotH;
        int rows = b.predicted().length, cols = rows == 0 ? 0 : b.predicted()[0].length;
        double cw = (ax.frac(b.xMax()) - ax.frac(b.xMin())) * plotW / cols, ch = (ay.frac(b.yMax()) - ay.frac(b.yMin())) * plotH / rows;
        double x0 = LEFT + ax.frac(b.xMin()) * plotW, y0 = bottom - ay.frac(b.yMin()) * plotH;
        sb.append("<g class=\"regions\" shape-rendering=\"crispEdges\">\n");
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int k = b.predicted()[r][c];
                // Opaque tints (the class colour mixed with white): overlapping translucent cells would show seams.
                double alpha = 0.12 + 0.5 * Math.max(0, Math.min(1, (b.confidence()[r][c] - 0.5) * 2));
                sb.append("<rect x=\"").append(Html.px(x0 + c * cw)).append("\" y=\"").append(Html.px(y0 - (r + 1) * ch))
                        .append("\" width=\"").append(Html.px(cw + 0.5)).append("\" height=\"").append(Html.px(ch + 0.5))
                        .append("\" fill=\"").append(tint(PALETTE[k % PALETTE.length], alpha)).append("\"/>");
            }
            sb.append('\n');
        }
        sb.append("</g>\n");
        axes(sb, ax, ay, b.xName(), b.yName());
        sb.append("<g class=\"points\" stroke=\"#fff\" stroke-width=\"0.6\">\n");
        for (int i = 0; i < b.px().length; i++) {
            sb.append("<circle r=\"3\" cx=\"").append(Html.px(LEFT + ax.frac(b.px()[i]) * plotW)).append("\" cy=\"")
                    .append(Html.px(bottom - ay.frac(b.py()[i]) * plotH)).append("\" fill=\"")
                    .append(PALETTE[b.pclass()[i] % PALETTE.length]).append("\"/>");
            if (i % 8 == 7) sb.append('\n');
        }
        sb.append("</g>\n<g class=\"legend\">");
        // Right-aligned, in class order: the positions from the right, then the entries from the left.
        double[] at = new double[classNames.size()];
        double lx = W - RIGHT;
        for (int k = classNames.size() - 1; k >= 0; k--) {
            lx -= 6.4 * classNames.get(k).length();
            at[k] = lx;
            lx -= 24;
        }
        for (int k = 0; k < classNames.size(); k++) {
            sb.append("<circle r=\"4\" cx=\"").append(Html.px(at[k] - 8)).append("\" cy=\"18\" fill=\"").append(PALETTE[k % PALETTE.length])
                    .append("\"/><text x=\"").append(Html.px(at[k])).append("\" y=\"22\">").append(Html.escape(classNames.get(k))).append("</text>");
        }
        return sb.append("</g>\n</svg>").toString();
    }
}
