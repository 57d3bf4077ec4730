package dev.backprop.autograd.ops;

import dev.backprop.tensor.Tensor;

/** y = Σ x over all elements or one axis (accumulated in double); ∂y/∂x = 1, so each x gets the gradient of its sum. */
public class Sum extends Reduction {
    private final boolean mean;

    /**
     * The sum over all elements (a scalar) when {@code axis} is null, else along {@code axis} (negative counts
     * from the end), which is kept with size 1 when {@code keepDim} and dropped otherwise.
     */
    public Sum(Integer axis, boolean keepDim) {
        this(axis, keepDim, false);
    }

    Sum(Integer axis, boolean keepDim, boolean mean) {
        super(axis, keepDim);
        this.mean = mean;
    }

    @Override
    public String name() {
        return "sum";
    }

    /** 1 for a sum, 1/n for a mean (n is known once the input is seen). */
    private double factor() {
        return mean ? 1.0 / view.n() : 1;
    }

    @Override
    protected final Tensor forward(Tensor... in) {
        Tensor y = Tensor.zeros(in[0].dtype(), prepare(in[0]));
        double f = factor();
        for (int o = 0; o < view.outer(); o++) {
            for (int i = 0; i < view.inner(); i++) {
                double s = 0;
                for (int k = 0; k < view.n(); k++) s += x.getFlat(view.index(o, k, i));
                y.setFlatInPlace(o * view.inner() + i, s * f);
            }
        }
        return y;
    }

    @Override
    protected final Tensor[] backward(Tensor g) {
        Tensor gx = Tensor.zeros(x.dtype(), x.shape());
        double f = factor();
        for (int o = 0; o < view.outer(); o++) {
            for (int i = 0; i < view.inner(); i++) {
                double v = g.getFlat(o * view.inner() + i) * f;
                for (int k = 0; k < view.n(); k++) gx.setFlatInPlace(view.index(o, k, i), v);
            }
        }
        return new Tensor[] {gx};
    }
}
