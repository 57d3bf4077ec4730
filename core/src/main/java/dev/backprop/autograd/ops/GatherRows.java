package dev.backprop.autograd.ops;

import dev.backprop.autograd.Op;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Tensor;

/**
 * The rows at the given indices along the first axis (a shuffled mini-batch). A row picked twice receives both
 * gradients: backward adds each output row's gradient into its source row.
 */
public final class GatherRows extends Op {
    private final int[] indices;
    private Tensor x;

    /**
     * Gathers the rows at {@code indices} (copied), in that order; an index may repeat. An index outside
     * [0, rows) of the input throws {@link IndexOutOfBoundsException} when the op is applied.
     */
    public GatherRows(int[] indices) {
        this.indices = indices.clone();
    }

    @Override
    public String name() {
        return "gather_rows";
    }

    @Override
    protected Tensor forward(Tensor... in) {
        x = in[0];
        if (x.rank() == 0) throw new IllegalArgumentException("gather_rows: a scalar has no rows");
        int rows = x.shape().dim(0), width = x.shape().inner(0);
        Tensor out = Tensor.zeros(x.dtype(), x.shape().with(0, indices.length));
        for (int r = 0; r < indices.length; r++) {
            int src = indices[r];
            if (src < 0 || src >= rows) {
                throw new IndexOutOfBoundsException("gather_rows: index " + src + " at position " + r + " for " + x.shape());
            }
            if (x.dtype() == DType.FLOAT32) System.arraycopy(x.floats(), src * width, out.floats(), r * width, width);
            else System.arraycopy(x.doubles(), src * width, out.doubles(), r * width, width);
        }
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        int width = x.shape().inner(0);
        Tensor gx = Tensor.zeros(x.dtype(), x.shape());
        Tensor gy = g.to(x.dtype());
        for (int r = 0; r < indices.length; r++) {
            int dst = indices[r] * width, src = r * width;
            if (x.dtype() == DType.FLOAT32) {
                float[] a = gy.floats(), b = gx.floats();
                for (int j = 0; j < width; j++) b[dst + j] += a[src + j];
            } else {
                double[] a = gy.doubles(), b = gx.doubles();
                for (int j = 0; j < width; j++) b[dst + j] += a[src + j];
            }
        }
        return new Tensor[] {gx};
    }
}
