package dev.backprop.autograd.ops;

import dev.backprop.autograd.Op;
import dev.backprop.tensor.AxisView;
import dev.backprop.tensor.Shape;
import dev.backprop.tensor.Tensor;

/**
 * Shared bookkeeping of the reductions: over all elements ({@code axis == null}, a scalar result) or along one
 * axis, seen as an {@link AxisView} so that any rank reduces with the same three loops.
 */
abstract class Reduction extends Op {
    private final Integer axis;
    private final boolean keepDim;
    protected Tensor x;
    protected AxisView view;

    Reduction(Integer axis, boolean keepDim) {
        this.axis = axis;
        this.keepDim = keepDim;
    }

    /** Sets up {@code x} and {@code view}; returns the result's shape. */
    final Shape prepare(Tensor input) {
        x = input;
        if (axis == null) {
            view = AxisView.flat(input.shape());
            return Shape.scalar();
        }
        view = AxisView.of(input.shape(), axis);
        return input.shape().reduce(axis, keepDim);
    }
}
