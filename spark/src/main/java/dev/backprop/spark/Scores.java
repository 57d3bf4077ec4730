package dev.backprop.spark;

import dev.backprop.autograd.NoGrad;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Module;
import dev.backprop.tensor.Tensor;
import dev.backprop.train.ClassificationMetrics;
import dev.backprop.train.Evaluation;
import dev.backprop.train.Task;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one partition's validation rows say about the current weights, as sums that add up across partitions: the
 * loss summed over the rows, and for classes the confusion matrix, for numbers the squared and absolute errors and
 * the sums the R² needs (per output column). {@link #merge} adds them in partition order, as the gradients are.
 *
 * @param lossSum   the loss (as {@link Evaluation#of} computes it: in the target's own units) summed over the rows
 * @param rows      the rows
 * @param confusion {@code [actual][predicted]} counts for classes; null for numbers
 * @param sse       per output column, the summed squared error; empty for classes
 * @param sae       per output column, the summed absolute error
 * @param sumY      per output column, the sum of the targets
 * @param sumY2     per output column, the sum of the squared targets
 */
record Scores(double lossSum, long rows, long[][] confusion, double[] sse, double[] sae, double[] sumY, double[] sumY2)
        implements Serializable {

    private static final int BATCH = 256;

    /** The scores of {@code net} (weights set, evaluated without dropout) on {@code block}. */
    static Scores of(Module net, Loss loss, Block block) {
        Task task = Task.forLoss(loss);
        Module view = Evaluation.lossView(net, loss);
        int n = block.rows(), in = block.inputs(), tw = Math.max(1, block.targetWidth());
        double lossSum = 0;
        long[][] confusion = null;
        double[] sse = new double[0], sae = sse, sumY = sse, sumY2 = sse;
        try (NoGrad ignored = NoGrad.enter()) {
            for (int from = 0; from < n; from += BATCH) {
                int m = Math.min(BATCH, n - from);
                Tensor x = Tensor.wrap(java.util.Arrays.copyOfRange(block.x(), from * in, (from + m) * in), m, in);
                float[] yv = java.util.Arrays.copyOfRange(block.y(), from * tw, (from + m) * tw);
                Tensor y = block.targetWidth() == 0 ? Tensor.wrap(yv, m) : Tensor.wrap(yv, m, tw);
                Tensor out = view.forward(x);
                lossSum += loss.apply(out, y).item() * m;
                int width = out.size() / m;
                if (task == Task.CLASSIFICATION) {
                    if (confusion == null) confusion = new long[Math.max(2, width)][Math.max(2, width)];
                    for (int i = 0; i < m; i++) confusion[actual(yv, i, block.targetWidth(), width)][predicted(out, i, width)]++;
                } else {
                    if (sse.length == 0) {
                        sse = new double[width];
                        sae = new double[width];
                        sumY = new double[width];
                        sumY2 = new double[width];
                    }
                    for (int i = 0; i < m; i++) {
                        for (int c = 0; c < width; c++) {
                            double t = yv[i * tw + c], d = t - out.getFlat(i * width + c);
                            sse[c] += d * d;
                            sae[c] += Math.abs(d);
                            sumY[c] += t;
                            sumY2[c] += t * t;
                        }
                    }
                }
            }
        }
        return new Scores(lossSum, n, confusion, sse, sae, sumY, sumY2);
    }

    /** The predicted class of row {@code i}: the arg-max of several outputs, or for one output (a logit), 1 when positive. */
    private static int predicted(Tensor out, int i, int width) {
        if (width == 1) return out.getFlat(i) > 0 ? 1 : 0;
        int best = 0;
        for (int c = 1; c < width; c++) if (out.getFlat(i * width + c) > out.getFlat(i * width + best)) best = c;
        return best;
    }

    /** The actual class of row {@code i}: a class index, a one-hot row's arg-max, or for one output, 1 above 0.5. */
    private static int actual(float[] y, int i, int targetWidth, int width) {
        if (targetWidth == 0) return width == 1 ? (y[i] > 0.5 ? 1 : 0) : (int) y[i];
        if (targetWidth == 1) return y[i] > 0.5 ? 1 : 0;
        int best = 0;
        for (int c = 1; c < targetWidth; c++) if (y[i * targetWidth + c] > y[i * targetWidth + best]) best = c;
        return best;
    }

    /**
     * The partitions' scores added in the order given (partition order), as an epoch's validation loss and metrics:
     * {@code val_accuracy} and {@code val_macro_f1} for classes, {@code val_rmse}, {@code val_mae} and {@code val_r2}
     * for numbers (the names the single-process trainer uses). The loss is NaN when there are no rows.
     */
    static Merged merge(List<Scores> parts) {
        double lossSum = 0;
        long rows = 0;
        long[][] confusion = null;
        double[] sse = null, sae = null, sumY = null, sumY2 = null;
        for (Scores s : parts) {
            lossSum += s.lossSum;
            rows += s.rows;
            if (s.confusion != null) {
                if (confusion == null) confusion = new long[s.confusion.length][s.confusion.length];
                for (int a = 0; a < confusion.length; a++) for (int p = 0; p < confusion.length; p++) confusion[a][p] += s.confusion[a][p];
            }
            if (s.sse.length > 0) {
                if (sse == null) {
                    sse = new double[s.sse.length];
                    sae = new double[s.sse.length];
                    sumY = new double[s.sse.length];
                    sumY2 = new double[s.sse.length];
                }
                for (int c = 0; c < sse.length; c++) {
                    sse[c] += s.sse[c];
                    sae[c] += s.sae[c];
                    sumY[c] += s.sumY[c];
                    sumY2[c] += s.sumY2[c];
                }
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (rows == 0) return new Merged(Double.NaN, 0, metrics);
        if (confusion != null) {
            ClassificationMetrics c = ClassificationMetrics.of(confusion);
            metrics.put("val_accuracy", c.accuracy());
            metrics.put("val_macro_f1", c.macroF1());
        }
        if (sse != null) {
            double e2 = 0, e1 = 0, sst = 0;
            for (int c = 0; c < sse.length; c++) {
                e2 += sse[c];
                e1 += sae[c];
                sst += Math.max(0, sumY2[c] - sumY[c] * sumY[c] / rows);
            }
            long values = rows * sse.length;
            metrics.put("val_rmse", Math.sqrt(e2 / values));
            metrics.put("val_mae", e1 / values);
            metrics.put("val_r2", sst == 0 ? (e2 == 0 ? 1 : 0) : 1 - e2 / sst);
        }
        return new Merged(lossSum / rows, rows, metrics);
    }

    /** The validation loss (mean per row), the rows, and the metrics by name. */
    record Merged(double loss, long rows, Map<String, Double> metrics) {}
}
