package dev.backprop.autograd.ops;

/**
 * GELU in its tanh form (PyTorch's {@code approximate="tanh"}, the one BERT and GPT-2 use):
 * y = ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³); dy/dx = ½(1 + tanh u) + ½x(1 − tanh² u)·√(2/π)(1 + 3·0.044715x²).
 * Chosen over the erf form because the JDK has no erf, and this derivative is exact for the function computed.
 */
public final class Gelu extends UnaryPointwise {
    private static final double C = Math.sqrt(2 / Math.PI);
    private static final double K = 0.044715;

    /** A fresh gelu op (an instance is applied once). */
    public Gelu() {}

    @Override
    public String name() {
        return "gelu";
    }

    @Override
    double value(double x) {
        return 0.5 * x * (1 + Math.tanh(C * (x + K * x * x * x)));
    }

    @Override
    double derivative(double x, double y) {
        double t = Math.tanh(C * (x + K * x * x * x));
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * C * (1 + 3 * K * x * x);
    }
}
