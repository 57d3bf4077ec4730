package dev.backprop.autograd.ops;

/** y = xᵖ for a constant p; dy/dx = p·xᵖ⁻¹. */
public final class PowScalar extends UnaryPointwise {
    private final double p;

    /** xᵖ for the constant {@code p}; a negative x with a non-integer p gives NaN, as {@link Math#pow} does. */
    public PowScalar(double p) {
        this.p = p;
    }

    @Override
    public String name() {
        return "pow";
    }

    @Override
    double value(double x) {
        return p == 2 ? x * x : Math.pow(x, p);
    }

    @Override
    double derivative(double x, double y) {
        return p == 2 ? 2 * x : p == 0 ? 0 : p * Math.pow(x, p - 1);
    }
}
