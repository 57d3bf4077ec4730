package dev.backprop.autograd.ops;

/** y = a + b (broadcast); ∂y/∂a = ∂y/∂b = 1. */
public final class Add extends BinaryPointwise {
    @Override
    public String name() {
        return "add";
    }

    @Override
    double value(double a, double b) {
        return a + b;
    }

    @Override
    double da(double a, double b, double y) {
        return 1;
    }

    @Override
    double db(double a, double b, double y) {
        return 1;
    }
}
