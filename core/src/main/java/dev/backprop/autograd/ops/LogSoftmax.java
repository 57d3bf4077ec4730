package dev.backprop.autograd.ops;

import dev.backprop.autograd.Function;
import dev.backprop.tensor.Tensor;

/**
 * yₖ = xₖ − m − log Σⱼ e^(xⱼ − m) along one axis (m the maximum): the log of a softmax without ever forming a
 * probability that could round to 0 and give log 0 = −∞; finite for any finite input.
 *
 * <p>Local derivative: ∂E/∂xₖ = gₖ − softmaxₖ · Σⱼ gⱼ, with softmax = e^y.
 */
public final class LogSoftmax extends Function {
    private final int axis;
    private Tensor y;
    private int outer;
    private int n;
    private int inner;

    public LogSoftmax(int axis) {
        this.axis = axis;
    }

    @Override
    public String name() {
        return "log_softmax";
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = in[0];
        int a = x.shape().axis(axis);
        outer = x.shape().outer(a);
        n = x.shape().dim(a);
        inner = x.shape().inner(a);
        y = Tensor.zeros(x.dtype(), x.shape());
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                double m = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < n; k++) m = Math.max(m, x.getFlat(base + k * inner));
                double s = 0;
                for (int k = 0; k < n; k++) s += Math.exp(x.getFlat(base + k * inner) - m);
                double logZ = m + Math.log(s);
                for (int k = 0; k < n; k++) y.setFlatInPlace(base + k * inner, x.getFlat(base + k * inner) - logZ);
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
                double total = 0;
                for (int k = 0; k < n; k++) total += g.getFlat(base + k * inner);
                for (int k = 0; k < n; k++) {
                    int at = base + k * inner;
                    gx.setFlatInPlace(at, g.getFlat(at) - Math.exp(y.getFlat(at)) * total);
                }
            }
        }
        return new Tensor[] {gx};
    }
}
