package dev.backprop.autograd.ops;

/** y = a ∘ b elementwise (broadcast); ∂y/∂a = b, ∂y/∂b = a. */
public final class Mul extends BinaryPointwise {
    /** A fresh mul op (an instance is applied once). */
    public Mul() {}

    @Override
    public String name() {
        return "mul";
    }

    @Override
    double value(double a, double b) {
        return a * b;
    }

    @Override
    double da(double a, double b, double y) {
        return b;
    }

    @Override
    double db(double a, double b, double y) {
        return a;
    }
}
