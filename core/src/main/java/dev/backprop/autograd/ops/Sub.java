package dev.backprop.autograd.ops;

/** y = a − b (broadcast); ∂y/∂a = 1, ∂y/∂b = −1. */
public final class Sub extends BinaryPointwise {
    @Override
    public String name() {
        return "sub";
    }

    @Override
    double value(double a, double b) {
        return a - b;
    }

    @Override
    double da(double a, double b, double y) {
        return 1;
    }

    @Override
    double db(double a, double b, double y) {
        return -1;
    }
}
