package dev.backprop.autograd.ops;

/** y = aᵇ (broadcast); ∂y/∂a = b·aᵇ⁻¹, ∂y/∂b = aᵇ·ln a (needs a > 0 where it matters). */
public final class Pow extends BinaryPointwise {
    /** A fresh pow op (an instance is applied once). */
    public Pow() {}

    @Override
    public String name() {
        return "pow";
    }

    @Override
    double value(double a, double b) {
        return Math.pow(a, b);
    }

    @Override
    double da(double a, double b, double y) {
        return b == 0 ? 0 : b * Math.pow(a, b - 1);
    }

    @Override
    double db(double a, double b, double y) {
        return y == 0 ? 0 : y * Math.log(a);
    }
}
