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
}
