package dev.backprop.autograd.ops;

import dev.backprop.autograd.Op;
import dev.backprop.tensor.AxisView;
import dev.backprop.tensor.Tensor;

/**
 * yₖ = e^(xₖ − m) / Σⱼ e^(xⱼ − m) along one axis, with m the maximum along it: subtracting m changes nothing
 * mathematically and keeps every exponent ≤ 0, so large inputs cannot overflow into ∞/∞ = NaN.
 *
 * <p>Local derivative ∂yₖ/∂xⱼ = yₖ(δₖⱼ − yⱼ), so ∂E/∂xₖ = yₖ (gₖ − Σⱼ gⱼ yⱼ).
 */
public final class Softmax extends Op {
    private final int axis;
    private Tensor y;
    private AxisView view;

    /** Softmax along {@code axis}; a negative axis counts from the end ({@code -1} is the last). */
    public Softmax(int axis) {
        this.axis = axis;
    }

    @Override
    public String name() {
        return "softmax";
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = in[0];
        view = AxisView.of(x.shape(), axis);
        y = Tensor.zeros(x.dtype(), x.shape());
        for (int o = 0; o < view.outer(); o++) {
            for (int i = 0; i < view.inner(); i++) {
                double logZ = logSumExp(x, view, o, i);
                for (int k = 0; k < view.n(); k++) {
                    int at = view.index(o, k, i);
                    y.setFlatInPlace(at, Math.exp(x.getFlat(at) - logZ));
                }
            }
        }
        return y;
    }

    /** log Σₖ e^(xₖ) along the axis at (o, i), as m + log Σₖ e^(xₖ − m) with m the maximum: no overflow. */
    static double logSumExp(Tensor x, AxisView view, int o, int i) {
        double m = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < view.n(); k++) m = Math.max(m, x.getFlat(view.index(o, k, i)));
        if (m == Double.NEGATIVE_INFINITY) return m;
        double s = 0;
        for (int k = 0; k < view.n(); k++) s += Math.exp(x.getFlat(view.index(o, k, i)) - m);
        return m + Math.log(s);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor gx = Tensor.zeros(y.dtype(), y.shape());
        for (int o = 0; o < view.outer(); o++) {
            for (int i = 0; i < view.inner(); i++) {
                double dot = 0;
                for (int k = 0; k < view.n(); k++) {
                    int at = view.index(o, k, i);
                    dot += g.getFlat(at) * y.getFlat(at);
                }
                for (int k = 0; k < view.n(); k++) {
                    int at = view.index(o, k, i);
                    gx.setFlatInPlace(at, y.getFlat(at) * (g.getFlat(at) - dot));
                }
            }
        }
        return new Tensor[] {gx};
    }
}
