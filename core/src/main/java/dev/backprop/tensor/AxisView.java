package dev.backprop.tensor;

/**
 * A tensor seen along one axis as {@code [outer, n, inner]}: the dimensions before the axis, the axis, and the
 * dimensions after it. Reductions, softmax and argmax along any axis of any rank run the same three loops on it.
 *
 * @param outer product of the dimensions before the axis
 * @param n     length of the axis
 * @param inner product of the dimensions after the axis (the stride between neighbours along the axis)
 */
public record AxisView(int outer, int n, int inner) {

    /** The view of {@code shape} along {@code axis} (negative counts from the end). */
    public static AxisView of(Shape shape, int axis) {
        int a = shape.axis(axis);
        return new AxisView(shape.outer(a), shape.dim(a), shape.inner(a));
    }

    /** The whole tensor as one axis: reductions over all elements. */
    public static AxisView flat(Shape shape) {
        return new AxisView(1, shape.size(), 1);
    }

    /** Flat index of element {@code k} along the axis, at position {@code (o, i)} of the other axes. */
    public int index(int o, int k, int i) {
        return (o * n + k) * inner + i;
    }

    /** Number of positions of the other axes: the size of a reduction's result. */
    public int lanes() {
        return outer * inner;
    }
}
