package dev.backprop.autograd.ops;

/** y = tanh x; dy/dx = 1 − tanh² x = 1 − y². */
public final class Tanh extends UnaryPointwise {
    /** A fresh tanh op (an instance is applied once). */
    public Tanh() {}

    @Override
    public String name() {
        return "tanh";
    }

    @Override
    double value(double x) {
        return Math.tanh(x);
    }

    @Override
    double derivative(double x, double y) {
        return 1 - y * y;
    }
}
