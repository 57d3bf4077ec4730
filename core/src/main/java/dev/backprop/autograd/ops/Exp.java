package dev.backprop.autograd.ops;

/** y = eˣ; dy/dx = eˣ = y. */
public final class Exp extends UnaryPointwise {
    /** A fresh exp op (an instance is applied once). */
    public Exp() {}

    @Override
    public String name() {
        return "exp";
    }

    @Override
    double value(double x) {
        return Math.exp(x);
    }

    @Override
    double derivative(double x, double y) {
        return y;
    }
}
