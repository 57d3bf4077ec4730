package dev.backprop.autograd.ops;

/** y = x for x > 0, α(eˣ − 1) otherwise; dy/dx = 1, or αeˣ = y + α. */
public final class Elu extends UnaryPointwise {
    private final double alpha;

    /**
     * ELU with α = {@code alpha}: y tends to −α as x → −∞.
     *
     * @throws IllegalArgumentException unless α is finite and ≥ 0
     */
    public Elu(double alpha) {
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("elu: alpha must be finite and >= 0, got " + alpha);
        }
        this.alpha = alpha;
    }

    @Override
    public String name() {
        return "elu";
    }

    @Override
    double value(double x) {
        return x > 0 ? x : alpha * Math.expm1(x);
    }

    @Override
    double derivative(double x, double y) {
        return x > 0 ? 1 : y + alpha;
    }
}
