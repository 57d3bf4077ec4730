package dev.backprop.autograd.ops;

/** y = min(max(x, lo), hi); dy/dx = 1 inside [lo, hi] and 0 where the value was cut. */
public final class Clamp extends UnaryPointwise {
    private final double lo;
    private final double hi;

    /**
     * Clamps to [lo, hi] (either may be infinite).
     *
     * @throws IllegalArgumentException if lo > hi, or either is NaN
     */
    public Clamp(double lo, double hi) {
        if (!(lo <= hi)) throw new IllegalArgumentException("clamp: lo " + lo + " must not exceed hi " + hi);
        this.lo = lo;
        this.hi = hi;
    }

    @Override
    public String name() {
        return "clamp";
    }

    @Override
    double value(double x) {
        return x < lo ? lo : x > hi ? hi : x;
    }

    @Override
    double derivative(double x, double y) {
        return x >= lo && x <= hi ? 1 : 0;
    }
}
