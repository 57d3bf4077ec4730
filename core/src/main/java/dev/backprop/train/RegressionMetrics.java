package dev.backprop.train;

import dev.backprop.tensor.ShapeException;
import dev.backprop.tensor.Tensor;

/**
 * Errors of a regressor over all outputs: RMSE = √(mean (y − o)²), MAE = mean |y − o|, and
 * R² = 1 − Σ(y − o)² / Σ(y − ȳ)² (ȳ the mean of each output column; 1 is perfect, 0 is no better than the mean);
 * and, for plots of predicted against actual values, the first output's pairs (at most {@link #MAX_PAIRS} of them,
 * evenly spaced through the rows).
 *
 * @param rmse   root mean squared error
 * @param mae    mean absolute error
 * @param r2     coefficient of determination
 * @param pairs  the first output's actual and predicted values, or null when not kept
 */
public record RegressionMetrics(double rmse, double mae, double r2, Pairs pairs) {
    /** The most pairs kept for a plot: enough to show the spread, few enough for a page. */
    public static final int MAX_PAIRS = 2000;

    /**
     * Actual and predicted values of one output, row for row.
     *
     * @param actual    the targets
     * @param predicted the model's outputs
     */
    public record Pairs(double[] actual, double[] predicted) {
        /** Checks that both have the same length. */
        public Pairs {
            if (actual.length != predicted.length) {
                throw new IllegalArgumentException("pairs: " + actual.length + " actual values, " + predicted.length + " predicted");
            }
        }
    }

    /** The metrics alone, with no pairs kept. */
    public RegressionMetrics(double rmse, double mae, double r2) {
        this(rmse, mae, r2, null);
    }

    /** Metrics of {@code predicted} against {@code actual}, both {@code [n, outputs]} (or both {@code [n]}). */
    public static RegressionMetrics of(Tensor predicted, Tensor actual) {
        if (!predicted.shape().equals(actual.shape())) throw ShapeException.of("regression metrics", predicted.shape(), actual.shape());
        int n = actual.shape().dim(0), cols = actual.size() / Math.max(1, n);
        double sse = 0, sae = 0, sst = 0;
        for (int c = 0; c < cols; c++) {
            double mean = 0;
            for (int i = 0; i < n; i++) mean += actual.getFlat(i * cols + c);
            mean /= Math.max(1, n);
            for (int i = 0; i < n; i++) {
                double y = actual.getFlat(i * cols + c), d = y - predicted.getFlat(i * cols + c);
                sse += d * d;
                sae += Math.abs(d);
                sst += (y - mean) * (y - mean);
            }
        }
        int total = Math.max(1, actual.size());
        double r2 = sst == 0 ? (sse == 0 ? 1 : 0) : 1 - sse / sst;
        int kept = Math.min(n, MAX_PAIRS);
        double[] a = new double[kept], p = new double[kept];
        for (int k = 0; k < kept; k++) {
            int i = (int) ((long) k * n / kept);
            a[k] = actual.getFlat(i * cols);
            p[k] = predicted.getFlat(i * cols);
        }
        return new RegressionMetrics(Math.sqrt(sse / total), sae / total, r2, n == 0 ? null : new Pairs(a, p));
    }
}
