package dev.backprop.autograd.ops;

import dev.backprop.autograd.Op;
import dev.backprop.tensor.AxisView;
import dev.backprop.tensor.Tensor;

/**
 * yₖ = xₖ − log Σⱼ e^(xⱼ) along one axis, the log-sum-exp taken as m + log Σⱼ e^(xⱼ − m) (m the maximum): the log
 * of a softmax without ever forming a probability that could round to 0 and give log 0 = −∞; finite for any
 * finite input.
 *
 * <p>Local derivative: ∂E/∂xₖ = gₖ − softmaxₖ · Σⱼ gⱼ, with softmax = e^y.
 */
public final class LogSoftmax extends Op {
    private final int axis;
    private Tensor y;
    private AxisView view;

    /** Log-softmax along {@code axis}; a negative axis counts from the end ({@code -1} is the last). */
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
        view = AxisView.of(x.shape(), axis);
        y = Tensor.zeros(x.dtype(), x.shape());
        for (int o = 0; o < view.outer(); o++) {
            for (int i = 0; i < view.inner(); i++) {
                double logZ = Softmax.logSumExp(x, view, o, i);
                for (int k = 0; k < view.n(); k++) {
                    int at = view.index(o, k, i);
                    y.setFlatInPlace(at, x.getFlat(at) - logZ);
                }
            }
        }
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor gx = Tensor.zeros(y.dtype(), y.shape());
        for (int o = 0; o < view.outer(); o++) {
            for (int i = 0; i < view.inner(); i++) {
                double total = 0;
                for (int k = 0; k < view.n(); k++) total += g.getFlat(view.index(o, k, i));
                for (int k = 0; k < view.n(); k++) {
                    int at = view.index(o, k, i);
                    gx.setFlatInPlace(at, g.getFlat(at) - Math.exp(y.getFlat(at)) * total);
                }
            }
        }
        return new Tensor[] {gx};
    }
}
