package dev.backprop.autograd.ops;

/** y = −x; dy/dx = −1. */
public final class Neg extends UnaryPointwise {
    /** A fresh neg op (an instance is applied once). */
    public Neg() {}

    @Override
    public String name() {
        return "neg";
    }

    @Override
    double value(double x) {
        return -x;
    }

    @Override
    double derivative(double x, double y) {
        return -1;
    }
}
