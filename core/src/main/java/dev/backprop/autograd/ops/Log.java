package dev.backprop.autograd.ops;

/** y = ln x; dy/dx = 1/x. ln 0 = −∞ (not NaN); a negative input gives NaN, as in IEEE arithmetic. */
public final class Log extends UnaryPointwise {
    /** A fresh log op (an instance is applied once). */
    public Log() {}

    @Override
    public String name() {
        return "log";
    }

    @Override
    double value(double x) {
        return Math.log(x);
    }

    @Override
    double derivative(double x, double y) {
        return 1 / x;
    }
}
