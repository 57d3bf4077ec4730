package dev.backprop.report;

import dev.backprop.nn.Activation;
import dev.backprop.nn.Dropout;
import dev.backprop.nn.Linear;
import dev.backprop.nn.Module;
import dev.backprop.nn.Sequential;
import dev.backprop.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * An SVG picture of a network, in the manner of the seeds' figures. A {@link Sequential} of {@link Linear} layers
 * (with activations, dropout and the like between them) is drawn as columns of neurons (the inputs, then each
 * layer's units) joined by one line per weight: blue for a positive weight, red for a negative one, wider and more
 * opaque the larger |w| is relative to the layer's largest. A column of more than {@link #MAX_NEURONS} units is a
 * block labelled with its size, holding a histogram of the weights into it; a layer of more than
 * {@link #MAX_EDGES} weights is a shaded band with that histogram instead of lines. Any other module is drawn as a
 * row of boxes, one per layer, from {@link Module#config()}.
 */
final class NetworkDiagram {
    /** A positive weight. The browser test looks for these exact colours. */
    static final String POSITIVE = "#1d4ed8";
    /** A negative weight. */
    static final String NEGATIVE = "#dc2626";
    /** A zero or non-finite weight. */
    private static final String NEUTRAL = "#8c959f";

    /** Columns with more units are drawn as a block. */
    static final int MAX_NEURONS = 16;
    /** Layers with more weights are drawn as a band with a histogram. */
    static final int MAX_EDGES = 400;

    private static final int R = 13;
    private static final int BLOCK_W = 96;
    private static final int BLOCK_H = 210;
    private static final int TOP = 58;
    private static final int MAX_WIDTH = 1040;
    private static final int BINS = 20;
    private static final double CHAR = 6.4;

    /** A column: the inputs, or the units of one linear layer and what follows it up to the next. */
    private record Column(int size, String header, String subheader, String prefix, List<String> after, Linear into,
                          List<String> names) {
        boolean block() {
            return size > MAX_NEURONS;
        }
    }

    private NetworkDiagram() {
    }

    /** The SVG for {@code model}, with {@code data-part="network"}. */
    static String draw(Module model) {
        return draw(model, List.of(), List.of());
    }

    /**
     * The diagram with the inputs and outputs named (feature and class names) beside their neurons; a list shorter
     * than the layer leaves the rest unnamed.
     */
    static String draw(Module model, List<String> inputNames, List<String> outputNames) {
        List<Column> columns = columns(model, inputNames, outputNames);
        return columns == null ? boxes(model) : neurons(columns);
    }

    /**
     * The columns of a chain of linear layers, or null when the model is not one: not a Sequential, no linear
     * layer, or a layer whose input size is not the previous one's output (a module between them changes the width).
     */
    private static List<Column> columns(Module model, List<String> inputNames, List<String> outputNames) {
        if (!(model instanceof Sequential seq)) return null;
        List<Module> layers = seq.layers();
        List<Integer> linear = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) if (layers.get(i) instanceof Linear) linear.add(i);
        if (linear.isEmpty()) return null;
        // Anything before the first linear layer would act on the inputs, whose width we could not then know.
        if (linear.get(0) != 0) return null;
        for (int k = 1; k < linear.size(); k++) {
            if (((Linear) layers.get(linear.get(k))).inputs() != ((Linear) layers.get(linear.get(k - 1))).outputs()) return null;
        }
        List<Column> cols = new ArrayList<>();
        Linear first = (Linear) layers.get(0);
        cols.add(new Column(first.inputs(), "input", first.inputs() + (first.inputs() == 1 ? " feature" : " features"), "i", List.of(), null,
                inputNames.size() == first.inputs() ? inputNames : List.of()));
        for (int k = 0; k < linear.size(); k++) {
            int at = linear.get(k), end = k + 1 < linear.size() ? linear.get(k + 1) : layers.size();
            Linear l = (Linear) layers.get(at);
            List<String> after = new ArrayList<>();
            for (int j = at + 1; j < end; j++) after.add(label(layers.get(j)));
            boolean last = k == linear.size() - 1;
            String header = last ? "output" : linear.size() > 2 ? "hidden " + (k + 1) : "hidden";
            cols.add(new Column(l.outputs(), header, "linear " + l.inputs() + " → " + l.outputs(), last ? "o" : "h", after, l,
                    last && outputNames.size() == l.outputs() ? outputNames : List.of()));
        }
        return cols;
    }

    /** Room for a column's names beside its neurons: none without names, at most 26 characters' worth. */
    private static double nameWidth(Column c) {
        int longest = 0;
        for (String name : c.names()) longest = Math.max(longest, shorten(name).length());
        return longest == 0 ? 0 : 12 + 6.4 * longest;
    }

    /** A name cut to 26 characters, so that one long column name cannot push the drawing aside. */
    private static String shorten(String name) {
        return name.length() <= 26 ? name : name.substring(0, 25) + "…";
    }

    /** A short name for a layer that is not linear: "tanh", "leaky_relu 0.1", "dropout 0.2", "batch_norm". */
    private static String label(Module m) {
        if (m instanceof Activation a) {
            Object p = a.config().get(a.kind() == Activation.Kind.ELU ? "alpha" : "slope");
            return a.kind().id() + (p instanceof Number n ? " " + Html.num(n.doubleValue()) : "");
        }
        if (m instanceof Dropout d) return "dropout " + Html.num(d.p());
        return String.valueOf(m.config().getOrDefault("type", m.getClass().getSimpleName()));
    }

    private static String neurons(List<Column> cols) {
        int n = cols.size();
        int most = 1;
        for (Column c : cols) if (!c.block()) most = Math.max(most, c.size());
        // Roomy for the seeds' 2-2-2 nets, tighter for 16 units so the column stays under about 500 pixels.
        double spacing = Math.max(30, Math.min(40, 480.0 / Math.max(1, most - 1)));
        double gap = Math.max(130, Math.min(260, (MAX_WIDTH - 160.0) / (n - 1)));
        double leftNames = nameWidth(cols.get(0)), rightNames = nameWidth(cols.get(n - 1));
        double width = Math.max(560, 160 + gap * (n - 1)) + leftNames + rightNames;
        double body = 60;
        for (Column c : cols) body = Math.max(body, c.block() ? BLOCK_H : (c.size() - 1) * spacing + 2 * R);
        int maxAfter = 0;
        for (Column c : cols) maxAfter = Math.max(maxAfter, c.after().size());
        double belowBody = 16 + 15 * Math.max(1, maxAfter);
        double legendY = TOP + body + belowBody + 16;
        double height = legendY + 34;
        double cy = TOP + body / 2;
        Layout at = new Layout(cy, spacing);
        double[] xs = new double[n];
        for (int j = 0; j < n; j++) xs[j] = 80 + leftNames + gap * j;

        StringBuilder sb = new StringBuilder();
        sb.append("<svg class=\"diagram\" data-part=\"network\" width=\"").append(Html.px(width)).append("\" height=\"")
                .append(Html.px(height)).append("\" viewBox=\"0 0 ").append(Html.px(width)).append(' ').append(Html.px(height))
                .append("\" role=\"img\" aria-label=\"network diagram\">\n");
        sb.append("<rect x=\"0\" y=\"0\" width=\"").append(Html.px(width)).append("\" height=\"").append(Html.px(height)).append("\" fill=\"#fff\"/>\n");

        // Weights first, so that neurons and blocks are drawn over their ends.
        boolean anyLines = false, anyHistogram = false;
        for (int j = 1; j < n; j++) {
            Column a = cols.get(j - 1), b = cols.get(j);
            Linear l = b.into();
            boolean lines = !a.block() && !b.block() && (long) l.inputs() * l.outputs() <= MAX_EDGES;
            anyLines |= lines;
            anyHistogram |= !lines;
            if (lines) {
                sb.append(edges(l, a, b, xs[j - 1], xs[j], at));
            } else {
                double aTop = a.block() ? cy - BLOCK_H / 2.0 : at.y(0, a.size()) - R, aBot = a.block() ? cy + BLOCK_H / 2.0 : at.y(a.size() - 1, a.size()) + R;
                double bTop = b.block() ? cy - BLOCK_H / 2.0 : at.y(0, b.size()) - R, bBot = b.block() ? cy + BLOCK_H / 2.0 : at.y(b.size() - 1, b.size()) + R;
                double ax = xs[j - 1] + (a.block() ? BLOCK_W / 2.0 : R), bx = xs[j] - (b.block() ? BLOCK_W / 2.0 : R);
                sb.append("<polygon fill=\"").append(NEUTRAL).append("\" fill-opacity=\"0.18\" points=\"").append(Html.px(ax)).append(',').append(Html.px(aTop))
                        .append(' ').append(Html.px(bx)).append(',').append(Html.px(bTop)).append(' ').append(Html.px(bx)).append(',').append(Html.px(bBot))
                        .append(' ').append(Html.px(ax)).append(',').append(Html.px(aBot)).append("\"><title>")
                        .append(l.inputs()).append(" × ").append(l.outputs()).append(" weights</title></polygon>\n");
                if (!b.block()) {
                    // The target is drawn as neurons, so the histogram sits on the band between the columns.
                    double mx = (xs[j - 1] + xs[j]) / 2 + (a.block() ? BLOCK_W / 4.0 : 0);
                    sb.append("<rect x=\"").append(Html.px(mx - 48)).append("\" y=\"").append(Html.px(cy - 40))
                            .append("\" width=\"96\" height=\"80\" rx=\"4\" fill=\"#fff\" stroke=\"#d0d7de\"/>\n");
                    sb.append(histogram(l.weight(), mx - 40, cy - 30, 80, 42));
                }
            }
        }
        for (int j = 0; j < n; j++) {
            Column c = cols.get(j);
            double x = xs[j];
            double bot = c.block() ? cy + BLOCK_H / 2.0 : at.y(c.size() - 1, c.size()) + R;
            sb.append("<text class=\"head\" x=\"").append(Html.px(x)).append("\" y=\"18\" text-anchor=\"middle\">").append(Html.escape(c.header())).append("</text>");
            sb.append("<text class=\"sub\" x=\"").append(Html.px(x)).append("\" y=\"34\" text-anchor=\"middle\">").append(Html.escape(c.subheader())).append("</text>\n");
            if (c.block()) {
                sb.append(block(c, x, cy));
            } else {
                for (int i = 0; i < c.size(); i++) {
                    double yy = at.y(i, c.size());
                    String name = c.prefix() + (i + 1);
                    String tip = c.into() == null ? "input " + (i + 1)
                            : name + (c.into().bias() == null ? "" : ", bias " + Html.num(c.into().bias().getFlat(i)));
                    String given = i < c.names().size() ? c.names().get(i) : null;
                    if (given != null) tip = given + " (" + tip + ")";
                    sb.append("<g class=\"neuron\"><title>").append(Html.escape(tip)).append("</title><circle cx=\"").append(Html.px(x))
                            .append("\" cy=\"").append(Html.px(yy)).append("\" r=\"").append(R).append("\"/><text x=\"").append(Html.px(x))
                            .append("\" y=\"").append(Html.px(yy + 4)).append("\" text-anchor=\"middle\">").append(Html.escape(name)).append("</text>");
                    if (given != null) {
                        boolean left = j == 0;
                        sb.append("<text class=\"name\" x=\"").append(Html.px(left ? x - R - 6 : x + R + 6)).append("\" y=\"").append(Html.px(yy + 4))
                                .append("\" text-anchor=\"").append(left ? "end" : "start").append("\">").append(Html.escape(shorten(given))).append("</text>");
                    }
                    sb.append("</g>\n");
                }
            }
            for (int k = 0; k < c.after().size(); k++) {
                sb.append("<text class=\"act\" x=\"").append(Html.px(x)).append("\" y=\"").append(Html.px(bot + 18 + 15 * k))
                        .append("\" text-anchor=\"middle\">").append(Html.escape(c.after().get(k))).append("</text>\n");
            }
        }
        sb.append(legend(legendY, anyLines, anyHistogram));
        sb.append("</svg>");
        return sb.toString();
    }

    /** Where neurons go: columns centred on {@code cy}, {@code spacing} apart. */
    private record Layout(double cy, double spacing) {
        /** The centre of neuron {@code i} of a column of {@code size}. */
        double y(int i, int size) {
            return cy + (i - (size - 1) / 2.0) * spacing;
        }
    }

    /** One line per weight, the strongest drawn last (on top). */
    private static String edges(Linear l, Column a, Column b, double xa, double xb, Layout at) {
        Tensor w = l.weight();
        int in = l.inputs(), out = l.outputs();
        double max = maxAbs(w);
        // The seeds' few weights can be thick; hundreds of thick lines would hide one another.
        double widest = Math.max(2, 4.4 * Math.min(1, Math.sqrt(32.0 / (in * out))));
        Integer[] order = new Integer[in * out];
        for (int k = 0; k < order.length; k++) order[k] = k;
        Arrays.sort(order, Comparator.comparingDouble(k -> {
            double v = Math.abs(w.getFlat(k));
            return Double.isFinite(v) ? v : -1;
        }));
        StringBuilder sb = new StringBuilder("<g class=\"edges\">\n");
        for (int k : order) {
            int j = k / in, i = k % in; // weight is [out, in]: row j holds the weights into unit j
            double v = w.getFlat(k);
            double t = Double.isFinite(v) && max > 0 ? Math.abs(v) / max : 0;
            String colour = !Double.isFinite(v) || v == 0 ? NEUTRAL : v > 0 ? POSITIVE : NEGATIVE;
            sb.append("<line x1=\"").append(Html.px(xa + R)).append("\" y1=\"").append(Html.px(at.y(i, in))).append("\" x2=\"")
                    .append(Html.px(xb - R)).append("\" y2=\"").append(Html.px(at.y(j, out))).append("\" stroke=\"").append(colour)
                    .append("\" stroke-width=\"").append(Html.px(0.6 + widest * t)).append("\" stroke-opacity=\"")
                    .append(String.format(java.util.Locale.ROOT, "%.2f", 0.25 + 0.75 * t)).append("\"><title>")
                    .append(Html.escape(a.prefix() + (i + 1) + " → " + b.prefix() + (j + 1) + ": w = " + Html.num(v)))
                    .append("</title></line>\n");
        }
        return sb.append("</g>\n").toString();
    }

    /** A column too large for neurons: its size and, for a layer, the histogram of the weights into it. */
    private static String block(Column c, double x, double cy) {
        double left = x - BLOCK_W / 2.0, top = cy - BLOCK_H / 2.0;
        StringBuilder sb = new StringBuilder();
        sb.append("<g class=\"block\"><title>").append(c.size()).append(c.into() == null ? " inputs" : " units").append("</title>");
        sb.append("<rect x=\"").append(Html.px(left)).append("\" y=\"").append(Html.px(top)).append("\" width=\"").append(BLOCK_W)
                .append("\" height=\"").append(BLOCK_H).append("\" rx=\"8\"/></g>\n");
        sb.append("<text class=\"size\" x=\"").append(Html.px(x)).append("\" y=\"").append(Html.px(top + 40)).append("\" text-anchor=\"middle\">")
                .append(c.size()).append("</text>");
        sb.append("<text class=\"sub\" x=\"").append(Html.px(x)).append("\" y=\"").append(Html.px(top + 58)).append("\" text-anchor=\"middle\">")
                .append(c.into() == null ? "inputs" : "units").append("</text>\n");
        if (c.into() != null) {
            sb.append("<text class=\"sub\" x=\"").append(Html.px(x)).append("\" y=\"").append(Html.px(top + 96)).append("\" text-anchor=\"middle\">weights</text>\n");
            sb.append(histogram(c.into().weight(), left + 8, top + 104, BLOCK_W - 16, 60));
        }
        return sb.toString();
    }

    /**
     * A histogram of {@code w} over [−max|w|, max|w|] in {@value #BINS} bins, so that zero is a bin edge: bars left
     * of it are negative weights (red), right of it positive (blue). Non-finite weights are counted in the title.
     */
    private static String histogram(Tensor w, double x, double y, double width, double height) {
        double max = maxAbs(w);
        long[] counts = new long[BINS];
        long bad = 0;
        for (int k = 0; k < w.size(); k++) {
            double v = w.getFlat(k);
            if (!Double.isFinite(v)) {
                bad++;
                continue;
            }
            int bin = max == 0 ? BINS / 2 : (int) Math.floor((v + max) / (2 * max) * BINS);
            counts[Math.max(0, Math.min(BINS - 1, bin))]++;
        }
        long top = 1;
        for (long c : counts) top = Math.max(top, c);
        double bw = width / BINS;
        StringBuilder sb = new StringBuilder("<g class=\"histogram\"><title>")
                .append(w.size()).append(" weights in [").append(Html.num(-max)).append(", ").append(Html.num(max)).append(']')
                .append(bad == 0 ? "" : ", " + bad + " not finite").append("</title>\n");
        sb.append("<rect x=\"").append(Html.px(x)).append("\" y=\"").append(Html.px(y)).append("\" width=\"").append(Html.px(width))
                .append("\" height=\"").append(Html.px(height)).append("\" fill=\"#f6f8fa\"/>\n");
        for (int b = 0; b < BINS; b++) {
            if (counts[b] == 0) continue;
            double h = Math.max(1, height * counts[b] / top);
            sb.append("<rect x=\"").append(Html.px(x + b * bw + 0.5)).append("\" y=\"").append(Html.px(y + height - h)).append("\" width=\"")
                    .append(Html.px(bw - 1)).append("\" height=\"").append(Html.px(h)).append("\" fill=\"")
                    .append(b < BINS / 2 ? NEGATIVE : POSITIVE).append("\"/>\n");
        }
        sb.append("<line x1=\"").append(Html.px(x + width / 2)).append("\" y1=\"").append(Html.px(y)).append("\" x2=\"").append(Html.px(x + width / 2))
                .append("\" y2=\"").append(Html.px(y + height)).append("\" stroke=\"#57606a\" stroke-width=\"0.6\" stroke-dasharray=\"2 2\"/>\n");
        sb.append("<text class=\"range\" x=\"").append(Html.px(x)).append("\" y=\"").append(Html.px(y + height + 11)).append("\">")
                .append(Html.escape(Html.num(-max, 3))).append("</text>");
        sb.append("<text class=\"range\" x=\"").append(Html.px(x + width)).append("\" y=\"").append(Html.px(y + height + 11))
                .append("\" text-anchor=\"end\">").append(Html.escape(Html.num(max, 3))).append("</text></g>\n");
        return sb.toString();
    }

    private static double maxAbs(Tensor w) {
        double max = 0;
        for (int k = 0; k < w.size(); k++) {
            double v = Math.abs(w.getFlat(k));
            if (Double.isFinite(v)) max = Math.max(max, v);
        }
        return max;
    }

    /** Keys to the colours, and a line on what widths or histograms mean for those the diagram has. */
    private static String legend(double y, boolean lines, boolean histograms) {
        List<String> notes = new ArrayList<>();
        if (lines) notes.add("line width and opacity: |w| relative to the layer&#39;s largest; hover for values");
        if (histograms) notes.add("histograms: a layer&#39;s weights, negative in red, positive in blue");
        return "<g class=\"legend\"><line x1=\"20\" y1=\"" + Html.px(y) + "\" x2=\"46\" y2=\"" + Html.px(y) + "\" stroke=\"" + POSITIVE
                + "\" stroke-width=\"3\"/><text x=\"52\" y=\"" + Html.px(y + 4) + "\">w &gt; 0</text>"
                + "<line x1=\"104\" y1=\"" + Html.px(y) + "\" x2=\"130\" y2=\"" + Html.px(y) + "\" stroke=\"" + NEGATIVE
                + "\" stroke-width=\"3\"/><text x=\"136\" y=\"" + Html.px(y + 4) + "\">w &lt; 0</text>"
                + "<text x=\"20\" y=\"" + Html.px(y + 22) + "\">" + String.join(" · ", notes) + "</text></g>\n";
    }

    /** A row of boxes, one per layer (or the module itself), each with its type, settings and parameter count. */
    private static String boxes(Module model) {
        List<String> names = new ArrayList<>();
        List<Module> parts = new ArrayList<>();
        if (model instanceof Sequential seq) {
            for (int i = 0; i < seq.layers().size(); i++) {
                names.add(Integer.toString(i));
                parts.add(seq.layers().get(i));
            }
        } else if (!model.children().isEmpty()) {
            for (var e : model.children().entrySet()) {
                names.add(e.getKey());
                parts.add(e.getValue());
            }
        } else {
            names.add("");
            parts.add(model);
        }
        int boxW = 160, boxH = 90, gapX = 40, gapY = 30;
        int perRow = Math.max(1, (MAX_WIDTH + gapX) / (boxW + gapX));
        int rows = (parts.size() + perRow - 1) / perRow;
        int cols = Math.min(parts.size(), perRow);
        double width = Math.max(400, 40 + cols * boxW + (cols - 1) * gapX);
        double height = 20 + rows * boxH + (rows - 1) * gapY + 20;
        StringBuilder sb = new StringBuilder();
        sb.append("<svg class=\"diagram\" data-part=\"network\" width=\"").append(Html.px(width)).append("\" height=\"").append(Html.px(height))
                .append("\" viewBox=\"0 0 ").append(Html.px(width)).append(' ').append(Html.px(height))
                .append("\" role=\"img\" aria-label=\"network layers\">\n");
        sb.append("<rect x=\"0\" y=\"0\" width=\"").append(Html.px(width)).append("\" height=\"").append(Html.px(height)).append("\" fill=\"#fff\"/>\n");
        for (int k = 0; k < parts.size(); k++) {
            Module m = parts.get(k);
            int row = k / perRow, col = k % perRow;
            double x = 20 + col * (boxW + gapX), y = 20 + row * (boxH + gapY);
            Map<String, Object> c = m.config();
            String type = String.valueOf(c.getOrDefault("type", m.getClass().getSimpleName()));
            StringBuilder settings = new StringBuilder();
            for (var e : c.entrySet()) {
                if (e.getKey().equals("type")) continue;
                if (settings.length() > 0) settings.append(", ");
                settings.append(e.getKey()).append(' ').append(describe(e.getValue()));
            }
            long params = m.parameterCount();
            sb.append("<g class=\"box\"><title>").append(Html.escape(names.get(k) + " " + type + " " + settings)).append("</title>");
            sb.append("<rect x=\"").append(Html.px(x)).append("\" y=\"").append(Html.px(y)).append("\" width=\"").append(boxW)
                    .append("\" height=\"").append(boxH).append("\" rx=\"6\"/>");
            sb.append("<text class=\"head\" x=\"").append(Html.px(x + 10)).append("\" y=\"").append(Html.px(y + 20)).append("\">")
                    .append(Html.escape((names.get(k).isEmpty() ? "" : names.get(k) + " · ") + type)).append("</text>");
            List<String> lines = wrap(settings.toString(), boxW - 20, 2);
            for (int i = 0; i < lines.size(); i++) {
                sb.append("<text class=\"sub\" x=\"").append(Html.px(x + 10)).append("\" y=\"").append(Html.px(y + 39 + 15 * i)).append("\">")
                        .append(Html.escape(lines.get(i))).append("</text>");
            }
            if (params > 0) {
                sb.append("<text class=\"sub\" x=\"").append(Html.px(x + 10)).append("\" y=\"").append(Html.px(y + 76)).append("\">")
                        .append(String.format(java.util.Locale.ROOT, "%,d", params)).append(" parameters</text>");
            }
            sb.append("</g>\n");
            if (col + 1 < perRow && k + 1 < parts.size()) {
                double ax = x + boxW + 4, bx = x + boxW + gapX - 4, ay = y + boxH / 2.0;
                sb.append("<path class=\"arrow\" d=\"M").append(Html.px(ax)).append(' ').append(Html.px(ay)).append("H").append(Html.px(bx - 6))
                        .append("M").append(Html.px(bx - 10)).append(' ').append(Html.px(ay - 5)).append("L").append(Html.px(bx)).append(' ')
                        .append(Html.px(ay)).append("L").append(Html.px(bx - 10)).append(' ').append(Html.px(ay + 5)).append("\"/>\n");
            }
        }
        sb.append("</svg>");
        return sb.toString();
    }

    private static String describe(Object v) {
        if (v instanceof Number n) return Html.num(n.doubleValue());
        if (v instanceof List<?> l) return l.size() + (l.size() == 1 ? " item" : " items");
        if (v instanceof Map<?, ?> m) return "{" + m.size() + "}";
        return String.valueOf(v);
    }

    /**
     * {@code s} broken after ", " into at most {@code maxLines} lines that fit in {@code width} pixels, the last cut
     * with an ellipsis if needed; the box's tooltip has all of it.
     */
    private static List<String> wrap(String s, double width, int maxLines) {
        int max = (int) (width / CHAR);
        List<String> lines = new ArrayList<>();
        String rest = s;
        while (!rest.isEmpty() && lines.size() < maxLines) {
            if (rest.length() <= max) {
                lines.add(rest);
                rest = "";
                break;
            }
            int cut = rest.lastIndexOf(", ", max - 1);
            if (cut <= 0 || lines.size() == maxLines - 1) {
                lines.add(rest.substring(0, max - 1) + "…");
                rest = "";
                break;
            }
            lines.add(rest.substring(0, cut + 1));
            rest = rest.substring(cut + 2);
        }
        return lines;
    }
}
