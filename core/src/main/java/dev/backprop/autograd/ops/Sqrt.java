package dev.backprop.autograd.ops;

/** y = √x; dy/dx = 1/(2√x) = 1/(2y). */
public final class Sqrt extends UnaryPointwise {
    /** A fresh sqrt op (an instance is applied once). */
    public Sqrt() {}

    @Override
    public String name() {
        return "sqrt";
    }

    @Override
    double value(double x) {
        return Math.sqrt(x);
    }

    @Override
    double derivative(double x, double y) {
        return 0.5 / y;
    }
}
