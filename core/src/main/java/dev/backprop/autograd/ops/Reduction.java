package dev.backprop.autograd.ops;

import dev.backprop.autograd.Function;
import dev.backprop.tensor.Shape;
import dev.backprop.tensor.Tensor;

/**
 * Shared bookkeeping of the reductions: over all elements ({@code axis == null}, a scalar result) or along one
 * axis, seen as {@code [outer, n, inner]} so that any rank reduces with the same three loops.
 */
abstract class Reduction extends Function {
    private final Integer axis;
    private final boolean keepDim;
    protected Tensor x;
    protected int outer;
    protected int n;
    protected int inner;

    Reduction(Integer axis, boolean keepDim) {
        this.axis = axis;
        this.keepDim = keepDim;
    }

    /** Sets up {@code x} and the {@code [outer, n, inner]} view; returns the result's shape. */
    final Shape prepare(Tensor input) {
        x = input;
        Shape s = input.shape();
        if (axis == null) {
            outer = 1;
            n = s.size();
            inner = 1;
            return Shape.scalar();
        }
        int a = s.axis(axis);
        outer = s.outer(a);
        n = s.dim(a);
        inner = s.inner(a);
        return s.reduce(a, keepDim);
    }

    /** Flat index in x of element k along the axis, at position (o, i) of the others. */
    final int index(int o, int k, int i) {
        return (o * n + k) * inner + i;
    }
}
