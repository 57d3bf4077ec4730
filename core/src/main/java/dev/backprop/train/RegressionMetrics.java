package dev.backprop.train;

import dev.backprop.tensor.ShapeException;
import dev.backprop.tensor.Tensor;

/**
 * Errors of a regressor over all outputs: RMSE = √(mean (y − o)²), MAE = mean |y − o|, and
 * R² = 1 − Σ(y − o)² / Σ(y − ȳ)² (ȳ the mean of each output column; 1 is perfect, 0 is no better than the mean).
 */
public record RegressionMetrics(double rmse, double mae, double r2) {

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
        return new RegressionMetrics(Math.sqrt(sse / total), sae / total, r2);
    }
}
