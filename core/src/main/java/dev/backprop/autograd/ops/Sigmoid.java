package dev.backprop.autograd.ops;

/**
 * The logistic function, out = σ(net) = 1 / (1 + e^−net), with the seeds' derivative ∂out/∂net = σ(1 − σ).
 * For negative net it is computed as e^net / (1 + e^net), so e^−net never overflows.
 */
public final class Sigmoid extends UnaryPointwise {
    /** A fresh sigmoid op (an instance is applied once). */
    public Sigmoid() {}

    @Override
    public String name() {
        return "sigmoid";
    }

    /** σ(z), without overflow for any z. */
    public static double sigmoid(double z) {
        if (z >= 0) return 1 / (1 + Math.exp(-z));
        double e = Math.exp(z);
        return e / (1 + e);
    }

    @Override
    double value(double x) {
        return sigmoid(x);
    }

    @Override
    double derivative(double x, double y) {
        return y * (1 - y); // σ'(z) = σ(z)(1 − σ(z))
    }

    @Override
    boolean forwardFloats(float[] x, float[] y) {
        for (int i = 0; i < x.length; i++) y[i] = (float) sigmoid(x[i]);
        return true;
    }

    @Override
    boolean backwardFloats(float[] x, float[] y, float[] g, float[] r) {
        for (int i = 0; i < x.length; i++) r[i] = g[i] * y[i] * (1 - y[i]);
        return true;
    }
}
