package dev.backprop.autograd.ops;

/** y = (1/n) Σ x over all elements or one axis; each x gets 1/n of the gradient of its mean. */
public final class Mean extends Sum {
    /**
     * The mean over all elements (a scalar) when {@code axis} is null, else along {@code axis} (negative counts
     * from the end), which is kept with size 1 when {@code keepDim} and dropped otherwise.
     */
    public Mean(Integer axis, boolean keepDim) {
        super(axis, keepDim, true);
    }

    @Override
    public String name() {
        return "mean";
    }
}
