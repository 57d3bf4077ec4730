package dev.backprop.report;

import dev.backprop.io.AtomicWrite;
import dev.backprop.train.ClassificationMetrics;
import dev.backprop.train.EpochRecord;
import dev.backprop.train.History;
import dev.backprop.train.RegressionMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A training run as one self-contained HTML file: headline numbers, the data set and settings, loss and metric
 * curves, a classifier's confusion matrix and per-class scores (or a regressor's errors), and a diagram of the
 * network with its weights. The file refers to nothing outside itself (no scripts, fonts, images or style sheets
 * from the network; the charts are inline SVG and the style an inline sheet), so it can be mailed, archived or
 * opened offline, and it contains no JavaScript at all. Every piece of text from {@link ReportData} is escaped.
 *
 * <p>Each chart and the diagram is an {@code <svg>} with a {@code data-part} attribute: {@code loss},
 * {@code metric-<name>} (e.g. {@code metric-accuracy} for {@code accuracy} and {@code val_accuracy} together),
 * {@code learning-rate} (only when it changed) and {@code network}. The same data gives the same bytes: the page
 * has no time stamp (put one in {@link ReportData#summary()} or {@link ReportData#settings()} if wanted).
 *
 * <pre>{@code
 * HtmlReport.write(Path.of("runs/report.html"), new ReportData("XOR", "the four points of {0,1}²", settings,
 *         history, evaluation.classification(), List.of("0", "1"), null, model, Map.of("accuracy", "1.0")));
 * }</pre>
 */
public final class HtmlReport {
    private HtmlReport() {
    }

    /**
     * Writes the report to {@code file} atomically: to a temporary file in the same directory, then renamed over
     * {@code file}, so a reader never sees a partial page and a failure leaves any previous report as it was.
     *
     * @throws IOException if the directory does not exist or cannot be written, or {@code file} is a directory
     */
    public static void write(Path file, ReportData data) throws IOException {
        AtomicWrite.bytes(file, render(data).getBytes(StandardCharsets.UTF_8));
    }

    /** The page as a string: HTML5 that is also well-formed XML. */
    static String render(ReportData d) {
        StringBuilder body = new StringBuilder();
        Map<String, String> nav = new LinkedHashMap<>();
        if (!d.summary().isEmpty()) {
            nav.put("summary", "Summary");
            body.append(summary(d.summary()));
        }
        if (!d.dataDescription().isBlank() || !d.settings().isEmpty()) {
            nav.put("data", "Data and settings");
            body.append(dataSection(d));
        }
        nav.put("training", "Training");
        body.append(training(d.history(), d.bestEpoch()));
        if (d.classification() != null) {
            nav.put("classification", "Classification");
            body.append(classification(d.classification(), d.classLabels(), d.boundary(), d.misclassified()));
        }
        if (d.regression() != null) {
            nav.put("regression", "Regression");
            body.append(regression(d.regression(), d.targetName()));
        }
        if (d.model() != null) {
            nav.put("network", "Network");
            List<String> outputs = d.classification() != null ? d.classLabels() : List.of();
            body.append("<section id=\"network\"><h2>Network</h2>\n<p class=\"meta\">")
                    .append(String.format(Locale.ROOT, "%,d", d.model().parameterCount())).append(" parameters</p>\n<div class=\"wrap\">")
                    .append(NetworkDiagram.draw(d.model(), d.inputNames(), outputs)).append("</div></section>\n");
        }
        StringBuilder sb = new StringBuilder(body.length() + 4096);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<meta name=\"generator\" content=\"backprop\"/>\n")
                .append("<title>").append(Html.escape(d.title())).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main>\n");
        sb.append("<header><h1>").append(Html.escape(d.title())).append("</h1>\n<nav>");
        for (var e : nav.entrySet()) sb.append("<a href=\"#").append(e.getKey()).append("\">").append(e.getValue()).append("</a>");
        sb.append("</nav></header>\n");
        sb.append(body);
        sb.append("<footer>Written by backprop.</footer>\n</main>\n</body>\n</html>\n");
        return sb.toString();
    }

    private static String summary(Map<String, String> summary) {
        StringBuilder sb = new StringBuilder("<section id=\"summary\"><h2>Summary</h2>\n<div class=\"cards\">\n");
        for (var e : summary.entrySet()) {
            sb.append("<div class=\"card\"><div class=\"k\">").append(Html.escape(e.getKey())).append("</div><div class=\"v\">")
                    .append(Html.escape(e.getValue())).append("</div></div>\n");
        }
        return sb.append("</div></section>\n").toString();
    }

    private static String dataSection(ReportData d) {
        StringBuilder sb = new StringBuilder("<section id=\"data\"><h2>Data and settings</h2>\n");
        if (!d.dataDescription().isBlank()) sb.append("<p class=\"desc\">").append(Html.escape(d.dataDescription().strip())).append("</p>\n");
        if (!d.settings().isEmpty()) {
            sb.append("<table class=\"kv\"><tbody>\n");
            for (var e : d.settings().entrySet()) {
                sb.append("<tr><th>").append(Html.escape(e.getKey())).append("</th><td>").append(Html.escape(e.getValue())).append("</td></tr>\n");
            }
            sb.append("</tbody></table>\n");
        }
        return sb.append("</section>\n").toString();
    }

    private static String training(History history, int bestEpoch) {
        StringBuilder sb = new StringBuilder("<section id=\"training\"><h2>Training</h2>\n");
        List<EpochRecord> epochs = history == null ? List.of() : history.epochs();
        if (epochs.isEmpty()) {
            return sb.append("<p class=\"meta\">No epochs were recorded.</p></section>\n").toString();
        }
        int n = epochs.size();
        double[] x = new double[n], train = new double[n], val = new double[n], lr = new double[n];
        double seconds = 0;
        int best = -1;
        List<String> metricKeys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            EpochRecord r = epochs.get(i);
            x[i] = r.epoch() + 1; // shown from 1, as the progress bar counts
            train[i] = r.trainLoss();
            val[i] = r.validationLoss();
            lr[i] = r.learningRate();
            if (Double.isFinite(r.seconds())) seconds += r.seconds();
            if (Double.isFinite(val[i]) && (best < 0 || val[i] < val[best])) best = i;
            for (String k : r.metrics().keySet()) if (!metricKeys.contains(k)) metricKeys.add(k);
        }
        EpochRecord last = epochs.get(n - 1);
        sb.append("<table class=\"kv\"><tbody>\n");
        row(sb, "epochs", n + (n == 1 ? " epoch" : " epochs") + ", " + history.stopReason());
        row(sb, "final training loss", Html.num(last.trainLoss()));
        if (best >= 0) {
            row(sb, "final validation loss", Html.num(last.validationLoss()));
            row(sb, "best validation loss", Html.num(val[best]) + " (epoch " + Html.num(x[best]) + ")");
        } else {
            row(sb, "validation", "none");
        }
        row(sb, "time in training steps", String.format(Locale.ROOT, "%.1f s", seconds));
        double mark = bestEpoch >= 0 && bestEpoch < n && bestEpoch + 1 < n ? bestEpoch + 1 : Double.NaN;   // marked when not the last
        if (Double.isFinite(mark)) row(sb, "weights kept", "those of epoch " + Html.num(mark) + ", the best");
        sb.append("</tbody></table>\n<div class=\"charts\">\n");

        figure(sb, LineChart.draw("loss", "Loss", x, List.of(new LineChart.Series("training", LineChart.TRAINING, train),
                new LineChart.Series("validation", LineChart.VALIDATION, val)), mark));
        // A metric and its validation twin (accuracy, val_accuracy) share a chart, as the two losses do.
        Map<String, String[]> groups = new LinkedHashMap<>();
        for (String k : metricKeys) {
            boolean v = k.startsWith("val_") && k.length() > 4;
            String[] pair = groups.computeIfAbsent(v ? k.substring(4) : k, b -> new String[2]);
            pair[v ? 1 : 0] = k;
        }
        for (var g : groups.entrySet()) {
            List<LineChart.Series> series = new ArrayList<>();
            if (g.getValue()[0] != null) series.add(new LineChart.Series("training", LineChart.TRAINING, metric(epochs, g.getValue()[0])));
            if (g.getValue()[1] != null) series.add(new LineChart.Series("validation", LineChart.VALIDATION, metric(epochs, g.getValue()[1])));
            figure(sb, LineChart.draw("metric-" + g.getKey(), title(g.getKey()), x, series, mark));
        }
        boolean lrChanged = false;
        for (double v : lr) lrChanged |= Double.compare(v, lr[0]) != 0;
        if (lrChanged) {
            figure(sb, LineChart.draw("learning-rate", "Learning rate", x, List.of(new LineChart.Series("learning rate", LineChart.OTHER, lr))));
        }
        return sb.append("</div></section>\n").toString();
    }

    /** A metric's chart title: {@code Accuracy}, {@code Macro F1}, {@code RMSE}, {@code R²}. */
    static String title(String metric) {
        return switch (metric) {
            case "rmse" -> "RMSE";
            case "mae" -> "MAE";
            case "r2" -> "R²";
            case "macro_f1" -> "Macro F1";
            default -> metric.isEmpty() ? metric : Character.toUpperCase(metric.charAt(0)) + metric.substring(1).replace('_', ' ');
        };
    }

    /** A metric per epoch; NaN where an epoch lacks it (e.g. epochs from before a resume that added it). */
    private static double[] metric(List<EpochRecord> epochs, String key) {
        double[] out = new double[epochs.size()];
        for (int i = 0; i < out.length; i++) out[i] = epochs.get(i).metrics().getOrDefault(key, Double.NaN);
        return out;
    }

    private static void figure(StringBuilder sb, String svg) {
        sb.append("<figure>").append(svg).append("</figure>\n");
    }

    private static void figure(StringBuilder sb, LineChart.Result chart) {
        sb.append("<figure>").append(chart.svg());
        if (!chart.notes().isEmpty()) sb.append("<figcaption>").append(Html.escape(String.join("; ", chart.notes()))).append("</figcaption>");
        sb.append("</figure>\n");
    }

    private static void row(StringBuilder sb, String key, String value) {
        sb.append("<tr><th>").append(Html.escape(key)).append("</th><td>").append(Html.escape(value)).append("</td></tr>\n");
    }

    private static String classification(ClassificationMetrics m, List<String> labels, Boundary boundary,
                                         List<Misclassified> misclassified) {
        int k = m.classes();
        long[][] c = m.confusion();
        long total = 0, max = 0;
        for (long[] r : c) for (long v : r) {
            total += v;
            max = Math.max(max, v);
        }
        StringBuilder sb = new StringBuilder("<section id=\"classification\"><h2>Classification</h2>\n");
        sb.append("<p class=\"meta\">accuracy <b>").append(Html.escape(String.format(Locale.ROOT, "%.4f", m.accuracy())))
                .append("</b> · macro F1 <b>").append(Html.escape(String.format(Locale.ROOT, "%.4f", m.macroF1())))
                .append("</b> · ").append(total).append(total == 1 ? " sample" : " samples").append("</p>\n");
        sb.append("<h3>Confusion matrix</h3>\n<p class=\"meta\">Rows: actual class; columns: predicted class. "
                + "Blue: right, red: wrong; the darker, the more samples.</p>\n<div class=\"wrap\"><table class=\"cm\">\n<thead><tr><th class=\"corner\">actual \\ predicted</th>");
        for (int j = 0; j < k; j++) sb.append("<th class=\"col\">").append(Html.escape(label(labels, j))).append("</th>");
        sb.append("</tr></thead>\n<tbody>\n");
        for (int i = 0; i < k; i++) {
            sb.append("<tr><th>").append(Html.escape(label(labels, i))).append("</th>");
            for (int j = 0; j < k; j++) {
                long v = c[i][j];
                sb.append("<td");
                if (v > 0) {
                    // Colour by count over the largest cell; a minimum tint keeps a single error visible.
                    double t = 0.12 + 0.78 * v / (double) max;
                    String rgb = i == j ? "29,78,216" : "220,38,38";
                    sb.append(" style=\"background:rgba(").append(rgb).append(',').append(String.format(Locale.ROOT, "%.3f", t)).append(')')
                            .append(t > 0.5 ? ";color:#fff" : "").append('"');
                } else {
                    sb.append(" class=\"zero\"");
                }
                sb.append(" title=\"").append(Html.escape(label(labels, i) + " predicted as " + label(labels, j))).append("\">")
                        .append(v).append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</tbody></table></div>\n");
        sb.append("<h3>Per class</h3>\n<table class=\"scores\"><thead><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr></thead>\n<tbody>\n");
        for (int i = 0; i < k; i++) {
            long support = 0;
            for (long v : c[i]) support += v;
            sb.append("<tr><th>").append(Html.escape(label(labels, i))).append("</th>");
            for (double v : new double[] {m.precision()[i], m.recall()[i], m.f1()[i]}) {
                sb.append("<td class=\"num\">").append(String.format(Locale.ROOT, "%.4f", v)).append("</td>");
            }
            sb.append("<td class=\"num\">").append(support).append("</td></tr>\n");
        }
        sb.append("</tbody></table>\n<div class=\"charts\">\n");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < k; i++) names.add(label(labels, i));
        figure(sb, Figures.bars("f1", "F1 by class", names, m.f1()));
        if (boundary != null) figure(sb, Figures.boundary("boundary", "Decision boundary", boundary, names));
        sb.append("</div>\n");
        if (!misclassified.isEmpty()) {
            sb.append("<h3>Misclassified</h3>\n<p class=\"meta\">The first ").append(misclassified.size())
                    .append(" images it got wrong: actual → predicted.</p>\n<div class=\"wrap\">");
            sb.append(Figures.images("misclassified", "Misclassified images", misclassified)).append("</div>\n");
        }
        return sb.append("</section>\n").toString();
    }

    private static String label(List<String> labels, int i) {
        return i < labels.size() && labels.get(i) != null ? labels.get(i) : Integer.toString(i);
    }

    private static String regression(RegressionMetrics r, String target) {
        StringBuilder sb = new StringBuilder("<section id=\"regression\"><h2>Regression</h2>\n<table class=\"kv\"><tbody>\n");
        row(sb, "RMSE", Html.num(r.rmse()));
        row(sb, "MAE", Html.num(r.mae()));
        row(sb, "R²", Html.num(r.r2()));
        sb.append("</tbody></table>\n");
        RegressionMetrics.Pairs p = r.pairs();
        if (p != null && p.actual().length > 0) {
            double[] residual = new double[p.actual().length];
            for (int i = 0; i < residual.length; i++) residual[i] = p.actual()[i] - p.predicted()[i];
            String shown = p.actual().length + (p.actual().length == 1 ? " sample" : " samples");
            sb.append("<div class=\"charts\">\n");
            figure(sb, Figures.scatter("predicted-vs-actual", "Predicted against actual", shown + "; on the dashed line, no error",
                    "actual " + target, "predicted " + target, p.actual(), p.predicted(), true));
            figure(sb, Figures.scatter("residuals", "Residuals", "actual − predicted, against the prediction",
                    "predicted " + target, "residual", p.predicted(), residual, false));
            sb.append("</div>\n");
        }
        return sb.append("</section>\n").toString();
    }

    /**
     * The whole style sheet. Fonts are the reader's own (system-ui and the usual fallbacks), never downloaded.
     * Charts keep their drawn size (they are laid out for it) and shrink only on narrow screens.
     */
    private static final String CSS = """
            :root { color-scheme: light; }
            * { box-sizing: border-box; }
            body { margin: 0; background: #f6f8fa; color: #1f2328;
                   font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
            main { max-width: 1120px; margin: 0 auto; padding: 20px 24px 32px; }
            header h1 { font-size: 24px; margin: 4px 0 6px; overflow-wrap: anywhere; }
            nav { margin: 0 0 16px; }
            nav a { color: #0969da; text-decoration: none; margin-right: 16px; }
            section { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 14px 20px 18px; margin: 0 0 18px; }
            h2 { font-size: 18px; margin: 0 0 10px; }
            h3 { font-size: 15px; margin: 18px 0 6px; }
            .meta { color: #57606a; margin: 4px 0 10px; }
            .desc { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0 0 12px; }
            table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
            th, td { padding: 4px 10px; border-bottom: 1px solid #eaeef2; text-align: left; vertical-align: top; }
            table.kv th { font-weight: 500; color: #57606a; min-width: 180px; }
            table.kv td { overflow-wrap: anywhere; }
            td.num { text-align: right; }
            .cards { display: flex; flex-wrap: wrap; gap: 12px; }
            .card { border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 14px; min-width: 150px; }
            .card .k { color: #57606a; font-size: 12px; }
            .card .v { font-size: 20px; font-weight: 600; overflow-wrap: anywhere; }
            .charts { display: flex; flex-wrap: wrap; gap: 14px; margin-top: 12px; }
            figure { margin: 0; }
            figcaption { color: #57606a; font-size: 12px; max-width: 500px; }
            svg { display: block; max-width: 100%; height: auto; }
            .wrap { overflow-x: auto; }
            table.cm td { text-align: center; min-width: 44px; border: 1px solid #eaeef2; }
            table.cm td.zero { color: #afb8c1; }
            table.cm th.col { text-align: center; font-weight: 500; }
            table.cm th.corner { color: #57606a; font-weight: 400; font-size: 12px; }
            table.cm tbody th { font-weight: 500; white-space: nowrap; }
            svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; font-size: 11px; fill: #1f2328; }
            svg .title { font-size: 13px; font-weight: 600; }
            svg .tick, svg .sub, svg .range { fill: #57606a; }
            svg .range { font-size: 10.5px; }
            svg .note, svg .act { fill: #6e7781; font-style: italic; }
            svg .grid { stroke: #eaeef2; stroke-width: 1; }
            svg .axis { stroke: #8c959f; stroke-width: 1; }
            svg .head { font-size: 12px; font-weight: 600; }
            svg .size { font-size: 22px; font-weight: 600; }
            svg .neuron circle { fill: #fff; stroke: #24292f; stroke-width: 1.5; }
            svg .neuron text { font-size: 10px; }
            svg .block rect, svg .box rect { fill: #f6f8fa; stroke: #57606a; stroke-width: 1.5; }
            svg .arrow { stroke: #57606a; stroke-width: 1.5; fill: none; }
            footer { color: #8c959f; font-size: 12px; text-align: center; }
            """;
}
