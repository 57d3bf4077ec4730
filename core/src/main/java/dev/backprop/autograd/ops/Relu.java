package dev.backprop.autograd.ops;

/** y = max(0, x); dy/dx = 1 for x > 0, else 0 (0 at x = 0, as PyTorch). */
public final class Relu extends UnaryPointwise {
    @Override
    public String name() {
        return "relu";
    }

    @Override
    double value(double x) {
        return x > 0 ? x : 0;
    }

    @Override
    double derivative(double x, double y) {
        return x > 0 ? 1 : 0;
    }

    @Override
    boolean forwardFloats(float[] x, float[] y) {
        for (int i = 0; i < x.length; i++) y[i] = Math.max(x[i], 0f); // branch-free
        return true;
    }

    @Override
    boolean backwardFloats(float[] x, float[] y, float[] g, float[] r) {
        for (int i = 0; i < x.length; i++) r[i] = x[i] > 0 ? g[i] : 0f;
        return true;
    }
}
