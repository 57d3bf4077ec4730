package dev.backprop.cli;

import dev.backprop.data.DataFormatException;
import dev.backprop.data.Dataset;
import dev.backprop.data.Table;
import dev.backprop.encode.Encoder;
import dev.backprop.model.Model;
import dev.backprop.model.Prediction;
import dev.backprop.report.Boundary;
import dev.backprop.report.Misclassified;
import dev.backprop.report.CurvesPng;
import dev.backprop.report.HtmlReport;
import dev.backprop.report.ReportData;
import dev.backprop.tensor.Tensor;
import dev.backprop.train.Evaluation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes the report and the curves that {@code train --report} and {@code --plot} ask for. */
final class Reports {
    private Reports() {}

    static void write(TrainCommand.Result r) throws IOException {
        Model.Fitted f = r.model().fitted();
        if (r.reportTo() != null) {
            Map<String, String> shown = new LinkedHashMap<>();
            shown.put("task", f.task());
            shown.putAll(dev.backprop.model.TrainingSettings.readable(r.model().settings()));
            Map<String, String> summary = new LinkedHashMap<>();
            Evaluation e = f.evaluation();
            summary.put("evaluated on", f.evaluatedOn());
            summary.put("loss", String.format(Locale.ROOT, "%.6g", e.loss()));
            if (e.classification() != null) summary.put("accuracy", String.format(Locale.ROOT, "%.4f", e.classification().accuracy()));
            if (e.regression() != null) {
                summary.put("RMSE", String.format(Locale.ROOT, "%.6g", e.regression().rmse()));
                summary.put("R²", String.format(Locale.ROOT, "%.4f", e.regression().r2()));
            }
            summary.put("training time", String.format(Locale.ROOT, "%.1f s", f.seconds()));
            summary.put("stopped", f.stopped());
            var encoder = r.model().encoder();
            HtmlReport.write(r.reportTo(), ReportData.builder().title("backprop training report").dataDescription(r.data())
                    .settings(shown).history(f.history()).classification(e.classification(), encoder.classLabels())
                    .regression(e.regression()).model(r.model().network()).summary(summary).bestEpoch(f.bestEpoch())
                    .inputNames(encoder.featureNames()).targetName(String.join(", ", encoder.targetNames()))
                    .boundary(boundary(r.model(), r.table())).misclassified(misclassified(r.model(), r.images())).build());
        }
        if (r.plotTo() != null) CurvesPng.write(r.plotTo(), f.history(), f.bestEpoch());
    }

    /** Cells per side of the decision map: fine enough for a smooth edge, 3,600 predictions. */
    private static final int GRID = 60;
    /** The most data points drawn over it. */
    private static final int MAX_POINTS = 1500;

    /**
     * A classifier's decision map when it reads exactly two numeric columns of a table (the spirals, xor): the class
     * it predicts over their range and the rows' actual classes; null for anything else.
     */
    static Boundary boundary(Model model, Table table) {
        Encoder enc = model.encoder();
        if (table == null || enc.classLabels().isEmpty() || enc.featureNames().size() != 2 || enc.targetNames().size() != 1) return null;
        String xName = enc.featureNames().get(0), yName = enc.featureNames().get(1);
        int xc = table.indexOf(xName), yc = table.indexOf(yName), tc = table.indexOf(enc.targetNames().get(0));
        if (xc < 0 || yc < 0 || tc < 0) return null;
        List<double[]> points = new ArrayList<>();
        List<Integer> classes = new ArrayList<>();
        int step = Math.max(1, table.size() / MAX_POINTS);
        double xMin = Double.POSITIVE_INFINITY, xMax = Double.NEGATIVE_INFINITY, yMin = xMin, yMax = xMax;
        for (int row = 0; row < table.size(); row++) {
            double x, y;
            try {
                x = table.number(row, xc);
                y = table.number(row, yc);
            } catch (DataFormatException e) {
                return null;          // a text column: not a plane
            }
            if (!Double.isFinite(x) || !Double.isFinite(y)) continue;
            xMin = Math.min(xMin, x);
            xMax = Math.max(xMax, x);
            yMin = Math.min(yMin, y);
            yMax = Math.max(yMax, y);
            int k = classIndex(enc.classLabels(), table.cell(row, tc));
            if (k >= 0 && row % step == 0) {
                points.add(new double[] {x, y});
                classes.add(k);
            }
        }
        if (!(xMin < xMax && yMin < yMax)) return null;
        double padX = (xMax - xMin) * 0.05, padY = (yMax - yMin) * 0.05;
        xMin -= padX;
        xMax += padX;
        yMin -= padY;
        yMax += padY;
        int[][] predicted = new int[GRID][GRID];
        double[][] confidence = new double[GRID][GRID];
        Map<String, Object> cell = new HashMap<>();
        try {
            for (int r = 0; r < GRID; r++) {
                for (int c = 0; c < GRID; c++) {
                    cell.put(xName, xMin + (c + 0.5) * (xMax - xMin) / GRID);
                    cell.put(yName, yMin + (r + 0.5) * (yMax - yMin) / GRID);
                    if (!(model.predict(cell) instanceof Prediction.Label label)) return null;
                    predicted[r][c] = label.index();
                    confidence[r][c] = label.probability();
                }
            }
        } catch (DataFormatException | RuntimeException e) {
            return null;              // a model that cannot predict the plane is reported without its map
        }
        double[] px = new double[points.size()], py = new double[points.size()];
        int[] pc = new int[points.size()];
        for (int i = 0; i < px.length; i++) {
            px[i] = points.get(i)[0];
            py[i] = points.get(i)[1];
            pc[i] = classes.get(i);
        }
        return new Boundary(xName, yName, xMin, xMax, yMin, yMax, predicted, confidence, px, py, pc);
    }

    /** How many wrongly classified images the report shows, and how many images it looks through for them. */
    private static final int WRONG_SHOWN = 24, LOOKED_AT = 5000;

    /**
     * The first images of {@code images} (the test set, or the training set without one) that the model classifies
     * wrongly; empty for tables.
     */
    static List<Misclassified> misclassified(Model model, Dataset images) {
        if (images == null || model.encoder().classLabels().isEmpty()) return List.of();
        int n = Math.min(images.size(), LOOKED_AT), pixels = images.inputs();
        int side = (int) Math.round(Math.sqrt(pixels));
        if (side * side != pixels) return List.of();
        Tensor x = images.features().sliceRows(0, n);
        List<Prediction> predicted = model.predict(x);
        Tensor y = images.targets();
        List<String> labels = model.encoder().classLabels();
        double max = 0;
        for (int i = 0; i < Math.min(x.size(), 100_000); i++) max = Math.max(max, x.getFlat(i));
        double scale = max > 1.5 ? 1 / 255.0 : 1;      // raw bytes, or already scaled to [0, 1]
        List<Misclassified> wrong = new ArrayList<>();
        for (int i = 0; i < n && wrong.size() < WRONG_SHOWN; i++) {
            int actual = y.rank() == 1 ? (int) y.getFlat(i) : y.sliceRows(i, i + 1).argmax(1)[0];
            if (!(predicted.get(i) instanceof Prediction.Label p) || p.index() == actual) continue;
            float[] grey = new float[pixels];
            for (int j = 0; j < pixels; j++) grey[j] = (float) (x.get(i, j) * scale);
            wrong.add(new Misclassified(grey, side, side, actual < labels.size() ? labels.get(actual) : Integer.toString(actual), p.label()));
        }
        return wrong;
    }

    /** A target cell's class: its label, or the label equal to it as a number ("1" for "1.0"); −1 when none. */
    private static int classIndex(List<String> labels, String cell) {
        if (cell == null) return -1;
        String v = cell.strip();
        int k = labels.indexOf(v);
        if (k >= 0) return k;
        try {
            double d = Double.parseDouble(v);
            for (int i = 0; i < labels.size(); i++) {
                try {
                    if (Double.parseDouble(labels.get(i)) == d) return i;
                } catch (NumberFormatException notNumeric) {
                    // a text label: not this one
                }
            }
        } catch (NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
