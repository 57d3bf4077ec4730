package dev.backprop.autograd.ops;

/** y = a / b (broadcast); ∂y/∂a = 1/b, ∂y/∂b = −a/b² = −y/b. */
public final class Div extends BinaryPointwise {
    /** A fresh div op (an instance is applied once). */
    public Div() {}

    @Override
    public String name() {
        return "div";
    }

    @Override
    double value(double a, double b) {
        return a / b;
    }

    @Override
    double da(double a, double b, double y) {
        return 1 / b;
    }

    @Override
    double db(double a, double b, double y) {
        return -y / b;
    }
}
