package dev.backprop.autograd.ops;

import dev.backprop.autograd.Function;
import dev.backprop.tensor.Tensor;

/**
 * yₖ = e^(xₖ − m) / Σⱼ e^(xⱼ − m) along one axis, with m the maximum along it: subtracting m changes nothing
 * mathematically and keeps every exponent ≤ 0, so large inputs cannot overflow into ∞/∞ = NaN.
 *
 * <p>Local derivative ∂yₖ/∂xⱼ = yₖ(δₖⱼ − yⱼ), so ∂E/∂xₖ = yₖ (gₖ − Σⱼ gⱼ yⱼ).
 */
public final class Softmax extends Function {
    private final int axis;
    private Tensor y;
    private int outer;
    private int n;
    private int inner;

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
        int a = x.shape().axis(axis);
        outer = x.shape().outer(a);
        n = x.shape().dim(a);
        inner = x.shape().inner(a);
        y = Tensor.zeros(x.dtype(), x.shape());
        double[] e = new double[n];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                double m = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < n; k++) m = Math.max(m, x.getFlat(base + k * inner));
                double s = 0;
                for (int k = 0; k < n; k++) s += e[k] = Math.exp(x.getFlat(base + k * inner) - m);
                for (int k = 0; k < n; k++) y.setFlatInPlace(base + k * inner, e[k] / s);
            }
        }
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor gx = Tensor.zeros(y.dtype(), y.shape());
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                double dot = 0;
                for (int k = 0; k < n; k++) dot += g.getFlat(base + k * inner) * y.getFlat(base + k * inner);
                for (int k = 0; k < n; k++) {
                    int at = base + k * inner;
                    gx.setFlatInPlace(at, y.getFlat(at) * (g.getFlat(at) - dot));
                }
            }
        }
        return new Tensor[] {gx};
    }
}
