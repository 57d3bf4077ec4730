package dev.backprop.autograd.ops;

import dev.backprop.autograd.Op;
import dev.backprop.tensor.Tensor;

/** Rows [from, to) along the first axis (a mini-batch); the gradient goes back to those rows, zero elsewhere. */
public final class SliceRows extends Op {
    private final int from;
    private final int to;
    private Tensor x;

    /**
     * Rows {@code from} (inclusive) to {@code to} (exclusive); bounds outside [0, rows] of the input, or
     * {@code from > to}, throw {@link IndexOutOfBoundsException} when the op is applied.
     */
    public SliceRows(int from, int to) {
        this.from = from;
        this.to = to;
    }

    @Override
    public String name() {
        return "slice_rows";
    }

    @Override
    protected Tensor forward(Tensor... in) {
        x = in[0];
        if (x.rank() == 0) throw new IllegalArgumentException("slice_rows: a scalar has no rows");
        int rows = x.shape().dim(0);
        if (from < 0 || to > rows || from > to) {
            throw new IndexOutOfBoundsException("slice_rows: rows [" + from + ", " + to + ") of " + x.shape());
        }
        int width = x.shape().inner(0);
        Tensor out = Tensor.zeros(x.dtype(), x.shape().with(0, to - from));
        copyRows(x, from * width, out, 0, (to - from) * width);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        int width = x.shape().inner(0);
        Tensor gx = Tensor.zeros(x.dtype(), x.shape());
        copyRows(g.to(x.dtype()), 0, gx, from * width, (to - from) * width);
        return new Tensor[] {gx};
    }

    private static void copyRows(Tensor src, int srcPos, Tensor dst, int dstPos, int length) {
        if (src.dtype() == dev.backprop.tensor.DType.FLOAT32) System.arraycopy(src.floats(), srcPos, dst.floats(), dstPos, length);
        else System.arraycopy(src.doubles(), srcPos, dst.doubles(), dstPos, length);
    }
}
