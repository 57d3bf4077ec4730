package dev.backprop.autograd.ops;

/** y = |x|; dy/dx = sign(x), taken as 0 at x = 0. */
public final class Abs extends UnaryPointwise {
    /** A fresh abs op (an instance is applied once). */
    public Abs() {}

    @Override
    public String name() {
        return "abs";
    }

    @Override
    double value(double x) {
        return Math.abs(x);
    }

    @Override
    double derivative(double x, double y) {
        return x > 0 ? 1 : x < 0 ? -1 : 0;
    }
}
