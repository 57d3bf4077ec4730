package dev.backprop.autograd.ops;

import dev.backprop.tensor.Tensor;

/** y = max x over all elements or one axis; ∂y/∂x is 1 at the (first) maximum and 0 elsewhere. */
public final class Max extends Reduction {
    private int[] winners;

    /**
     * The maximum over all elements (a scalar) when {@code axis} is null, else along {@code axis} (negative counts
     * from the end), which is kept with size 1 when {@code keepDim} and dropped otherwise.
     */
    public Max(Integer axis, boolean keepDim) {
        super(axis, keepDim);
    }

    @Override
    public String name() {
        return "max";
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor y = Tensor.zeros(in[0].dtype(), prepare(in[0]));
        if (view.n() == 0) throw new IllegalArgumentException("max: reducing an empty axis of " + in[0].shape());
        winners = new int[view.lanes()];
        for (int o = 0; o < view.outer(); o++) {
            for (int i = 0; i < view.inner(); i++) {
                int best = view.index(o, 0, i);
                for (int k = 1; k < view.n(); k++) {
                    int at = view.index(o, k, i);
                    double v = x.getFlat(at);
                    // NaN wins, so that a NaN input is not hidden by the maximum.
                    if (v > x.getFlat(best) || (Double.isNaN(v) && !Double.isNaN(x.getFlat(best)))) best = at;
                }
                winners[o * view.inner() + i] = best;
                y.setFlatInPlace(o * view.inner() + i, x.getFlat(best));
            }
        }
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor gx = Tensor.zeros(x.dtype(), x.shape());
        for (int j = 0; j < winners.length; j++) gx.setFlatInPlace(winners[j], g.getFlat(j));
        return new Tensor[] {gx};
    }
}
