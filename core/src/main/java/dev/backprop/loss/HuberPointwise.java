package dev.backprop.loss;

import dev.backprop.autograd.Op;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Tensor;

/**
 * Elementwise Huber function of the error d: h = ½d² for |d| ≤ δ, δ(|d| − ½δ) beyond; dh/dd = clamp(d, −δ, δ).
 * Its own op rather than a composition of abs, clamp and pow so that the value and its derivative sit side by
 * side, with the boundary |d| = δ decided in one place.
 */
final class HuberPointwise extends Op {
    private final double delta;
    private Tensor d;

    HuberPointwise(double delta) {
        this.delta = delta;
    }

    @Override
    public String name() {
        return "huber";
    }

    @Override
    protected Tensor forward(Tensor... in) {
        d = in[0];
        Tensor h = Tensor.zeros(d.dtype(), d.shape());
        if (d.dtype() == DType.FLOAT32) {
            float[] x = d.floats(), y = h.floats();
            for (int i = 0; i < x.length; i++) y[i] = (float) value(x[i]);
        } else {
            double[] x = d.doubles(), y = h.doubles();
            for (int i = 0; i < x.length; i++) y[i] = value(x[i]);
        }
        return h;
    }

    private double value(double x) {
        double a = Math.abs(x);
        return a <= delta ? 0.5 * x * x : delta * (a - 0.5 * delta);
    }

    /** The slope ±δ of the linear piece equals the quadratic's slope d at |d| = δ, so one clamp covers both. */
    private double derivative(double x) {
        return Math.max(-delta, Math.min(delta, x));
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor gd = Tensor.zeros(d.dtype(), d.shape());
        if (d.dtype() == DType.FLOAT32) {
            float[] x = d.floats(), gy = g.to(DType.FLOAT32).floats(), r = gd.floats();
            for (int i = 0; i < x.length; i++) r[i] = (float) (gy[i] * derivative(x[i]));
        } else {
            double[] x = d.doubles(), gy = g.to(DType.FLOAT64).doubles(), r = gd.doubles();
            for (int i = 0; i < x.length; i++) r[i] = gy[i] * derivative(x[i]);
        }
        return new Tensor[] {gd};
    }
}
