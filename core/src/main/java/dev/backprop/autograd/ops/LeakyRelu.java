package dev.backprop.autograd.ops;

/** y = x for x > 0, slope·x otherwise; dy/dx = 1 or slope. */
public final class LeakyRelu extends UnaryPointwise {
    private final double slope;

    /**
     * Leaky ReLU with slope {@code slope} for x ≤ 0 (e.g. 0.01).
     *
     * @throws IllegalArgumentException if the slope is not finite
     */
    public LeakyRelu(double slope) {
        if (!Double.isFinite(slope)) throw new IllegalArgumentException("leaky_relu: slope must be finite, got " + slope);
        this.slope = slope;
    }

    @Override
    public String name() {
        return "leaky_relu";
    }

    @Override
    double value(double x) {
        return x > 0 ? x : slope * x;
    }

    @Override
    double derivative(double x, double y) {
        return x > 0 ? 1 : slope;
    }
}
