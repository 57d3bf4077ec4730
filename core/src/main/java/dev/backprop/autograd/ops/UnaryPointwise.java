package dev.backprop.autograd.ops;

import dev.backprop.autograd.Op;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Tensor;

/**
 * An op that maps every element on its own, y = f(x). A subclass gives f and its local derivative dy/dx side by
 * side; this class runs them over the elements and applies the chain rule, ∂E/∂x = ∂E/∂y · dy/dx.
 */
abstract class UnaryPointwise extends Op {
    private Tensor x;
    private Tensor y;

    /** f(x). */
    abstract double value(double x);

    /** dy/dx at x, where y = f(x) is given too (σ' = σ(1 − σ) needs only y). */
    abstract double derivative(double x, double y);

    /**
     * The same map over float32 arrays in a loop of its own, for the hot activations: the general loop calls
     * {@link #value} per element through a call site shared by every subclass, which the JIT cannot inline.
     * Returns false to use the general loop.
     */
    boolean forwardFloats(float[] x, float[] y) {
        return false;
    }

    /** {@code r = g · dy/dx} over float32 arrays in a loop of its own, or false to use the general loop. */
    boolean backwardFloats(float[] x, float[] y, float[] g, float[] r) {
        return false;
    }

    @Override
    protected final Tensor forward(Tensor... in) {
        x = in[0];
        y = Tensor.zeros(x.dtype(), x.shape());
        if (x.dtype() == DType.FLOAT32) {
            float[] a = x.floats(), out = y.floats();
            if (!forwardFloats(a, out)) for (int i = 0; i < a.length; i++) out[i] = (float) value(a[i]);
        } else {
            double[] a = x.doubles(), out = y.doubles();
            for (int i = 0; i < a.length; i++) out[i] = value(a[i]);
        }
        return y;
    }

    @Override
    protected final Tensor[] backward(Tensor g) {
        Tensor gx = Tensor.zeros(x.dtype(), x.shape());
        if (x.dtype() == DType.FLOAT32) {
            float[] a = x.floats(), out = y.floats(), gy = g.to(DType.FLOAT32).floats(), r = gx.floats();
            if (!backwardFloats(a, out, gy, r)) {
                for (int i = 0; i < a.length; i++) r[i] = (float) (gy[i] * derivative(a[i], out[i]));
            }
        } else {
            double[] a = x.doubles(), out = y.doubles(), gy = g.to(DType.FLOAT64).doubles(), r = gx.doubles();
            for (int i = 0; i < a.length; i++) r[i] = gy[i] * derivative(a[i], out[i]);
        }
        return new Tensor[] {gx};
    }
}
